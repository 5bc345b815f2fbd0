/** ECharts with only the parts the app uses, so the bundle stays small. */
import { BarChart, HeatmapChart, LineChart, LinesChart, MapChart, RadarChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, RadarComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([MapChart, BarChart, LineChart, RadarChart, HeatmapChart, ScatterChart, LinesChart, GeoComponent, GridComponent, LegendComponent, RadarComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };
