/** ECharts with only the parts the app uses, so the bundle stays small. */
import { BarChart, MapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([MapChart, BarChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };
