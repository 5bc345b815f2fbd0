import type { EChartsOption } from 'echarts';
import type { ECharts } from 'echarts/core';
import { useEffect, useRef, type CSSProperties } from 'react';
import { echarts } from './echarts.ts';

export type ChartEventHandler = (params: unknown) => void;

export interface EChartProps {
  option: EChartsOption;
  /** data-testid of the chart element; also the key of the chart in `window.__suanliCharts`. */
  testId: string;
  style?: CSSProperties;
  onClick?: ChartEventHandler;
  ariaLabel?: string;
}

declare global {
  interface Window {
    /** Live chart instances by test id, so the e2e test can find a region's pixel on the map. */
    __suanliCharts?: Record<string, ECharts>;
  }
}

/**
 * Renders an option into a canvas. The element carries `data-rendered="true"` once ECharts has
 * finished drawing the current option (RECIPES: the 'finished' event, bound on the instance).
 */
export function EChart({ option, testId, style, onClick, ariaLabel }: EChartProps) {
  const elementRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ECharts | null>(null);
  const clickRef = useRef<ChartEventHandler | undefined>(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('finished', () => element.setAttribute('data-rendered', 'true'));
    chart.on('click', (params) => clickRef.current?.(params));
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    window.__suanliCharts = { ...window.__suanliCharts, [testId]: chart };
    return () => {
      observer.disconnect();
      if (window.__suanliCharts?.[testId] === chart) delete window.__suanliCharts[testId];
      chart.dispose();
      chartRef.current = null;
    };
  }, [testId]);

  useEffect(() => {
    const chart = chartRef.current;
    const element = elementRef.current;
    if (!chart || !element) return;
    element.setAttribute('data-rendered', 'false');
    chart.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={elementRef} data-testid={testId} role="img" aria-label={ariaLabel} style={{ width: '100%', height: 360, ...style }} />;
}
