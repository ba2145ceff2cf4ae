/**
 * A thin ECharts wrapper: registers only the charts the app draws (tree-shaken), resizes with
 * its box, disposes on unmount. The chart is described for screen readers by `label`, and the
 * same numbers are always available in a table or in text next to it.
 */
import { BarChart, GraphChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ECElementEvent, type EChartsCoreOption, type EChartsType } from 'echarts/core';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// echarts' use() registers the chart types (tree-shaken build); it is not React's use hook.
// eslint-disable-next-line react-hooks/rules-of-hooks
use([
  BarChart,
  GraphChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  LabelLayout,
  CanvasRenderer,
]);

export interface EChartProps {
  option: EChartsCoreOption;
  height: number;
  /** What the chart shows, for assistive technology. */
  label: string;
  onClick?: (event: ECElementEvent) => void;
  testId?: string;
}

export function EChart({ option, height, label, onClick, testId }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    const el = box.current!;
    const instance = init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, ...option }, { notMerge: true });
  }, [option]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onClick) return;
    instance.on('click', onClick);
    return () => {
      instance.off('click', onClick);
    };
  }, [onClick]);

  return <div ref={box} role="img" aria-label={label} data-testid={testId} style={{ width: '100%', height }} />;
}
