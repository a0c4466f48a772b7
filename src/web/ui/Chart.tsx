import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty } from 'antd';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { RefObject } from 'react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

// Only what the dashboard draws, so the bundle carries no more of ECharts than that.
use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export interface ChartProps {
  title: string;
  /** The chart's figures in words: its accessible name. */
  summary: string;
  option: EChartsCoreOption;
  height: number;
  /** The downloaded image's option (e.g. with a title) and its height; the option on screen by default. */
  imageOption?: EChartsCoreOption;
  imageHeight?: number;
  /** The downloaded image's file name. */
  fileName: string;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string | null;
  testId?: string;
}

/** Renders an option off screen and returns it as a PNG data URL (white background, double resolution). */
function renderImage(option: EChartsCoreOption, width: number, height: number): string {
  const host = document.createElement('div');
  host.style.cssText = `position:fixed;left:-10000px;top:0;width:${width}px;height:${height}px`;
  document.body.append(host);
  const chart = init(host, undefined, { renderer: 'canvas', width, height });
  try {
    chart.setOption(option);
    return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
  } finally {
    chart.dispose();
    host.remove();
  }
}

function download(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
}

function Canvas({
  option,
  height,
  summary,
  chartRef,
}: {
  option: EChartsCoreOption;
  height: number;
  summary: string;
  chartRef: RefObject<EChartsType | null>;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) {
      return undefined;
    }
    const instance = init(element, undefined, { renderer: 'canvas' });
    chartRef.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chartRef.current = null;
      instance.dispose();
    };
  }, [chartRef]);
  useEffect(() => {
    chartRef.current?.setOption(option, { notMerge: true });
  }, [chartRef, option]);
  return <div ref={host} role="img" aria-label={summary} style={{ width: '100%', height }} />;
}

/** One ECharts chart in a card: resizes with its container, has a text summary and downloads as PNG. */
export function Chart({
  title,
  summary,
  option,
  height,
  imageOption,
  imageHeight,
  fileName,
  empty,
  testId,
}: ChartProps) {
  const { t } = useTranslation();
  const chart = useRef<EChartsType | null>(null);
  const save = () => {
    const instance = chart.current;
    if (!instance) {
      return;
    }
    const url = imageOption
      ? renderImage(imageOption, instance.getWidth(), imageHeight ?? height)
      : instance.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    download(url, fileName);
  };
  return (
    <Card
      size="small"
      title={title}
      data-testid={testId}
      style={{ height: '100%' }}
      extra={
        empty ? null : (
          <Button
            size="small"
            icon={<DownloadOutlined />}
            onClick={save}
            aria-label={t('metrics.downloadOf', { title })}
          >
            {t('metrics.download')}
          </Button>
        )
      }
    >
      {empty ? (
        <Empty description={empty} image={Empty.PRESENTED_IMAGE_SIMPLE} style={{ minHeight: 160 }} />
      ) : (
        <Canvas option={option} height={height} summary={summary} chartRef={chart} />
      )}
    </Card>
  );
}
