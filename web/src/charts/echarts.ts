/** ECharts with only the parts the app uses, so the bundle stays small. */
import { BarChart, HeatmapChart, LineChart, MapChart, RadarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, RadarComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([MapChart, BarChart, LineChart, RadarChart, HeatmapChart, GridComponent, LegendComponent, RadarComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };
