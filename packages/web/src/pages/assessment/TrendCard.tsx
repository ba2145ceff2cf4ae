/**
 * 前后对比: the area's figures on a second date beside those of the assessed date, earlier first,
 * with the change (percentage points for H and M0) and whether it is an improvement.
 */
import { Card, DatePicker, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { AreaAssessment } from '../../api/assessment.ts';
import type { ApiState } from '../../api/useApi.ts';
import { useT } from '../../app/I18nProvider.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { deltaText, figureText, trend, type TrendRow } from './figures.ts';
import { assessmentMessages } from './messages.ts';

export interface TrendCardProps {
  /** The assessed date's figures (of the page's area). */
  area: AreaAssessment;
  /** The comparison date's request; its data is used only when it is of the same area and date. */
  compared: ApiState<AreaAssessment | undefined>;
  compare: string | null;
  onCompare: (date: string | null) => void;
}

const TREND_COLORS = { better: 'green', worse: 'red', same: 'default', neutral: 'default' } as const;

/** One line of the comparison table: a date's figures, or the change between them. */
interface Line {
  key: string;
  label: string;
  values: Record<TrendRow['key'], string>;
  rows?: TrendRow[];
}

export function TrendCard({ area, compared, compare, onCompare }: TrendCardProps) {
  const t = useT(assessmentMessages);
  const other =
    compared.data && compare && compared.data.asOf === compare && compared.data.unit.code === area.unit.code
      ? compared.data
      : undefined;
  const result = other
    ? trend({ asOf: area.asOf, unit: area.unit }, { asOf: other.asOf, unit: other.unit })
    : undefined;
  const base = dayjs(area.asOf);
  const keys: Array<TrendRow['key']> = ['n', 'q', 'H', 'A', 'M0'];
  const title = (key: TrendRow['key']) =>
    ({ n: t('statN'), q: t('statQ'), H: t('statH'), A: t('statA'), M0: t('statM0') })[key];
  const values = (pick: (r: TrendRow) => number) =>
    Object.fromEntries((result?.rows ?? []).map((r) => [r.key, figureText(r.key, pick(r))])) as Record<
      TrendRow['key'],
      string
    >;
  // The dates as rows and the figures as columns: five figures side by side read at a glance.
  const lines: Line[] = result
    ? [
        { key: 'earlier', label: result.earlier.asOf, values: values((r) => r.earlier) },
        { key: 'later', label: result.later.asOf, values: values((r) => r.later) },
        { key: 'change', label: t('change'), values: values((r) => r.later), rows: result.rows },
      ]
    : [];

  const change = (r: TrendRow) => {
    const text =
      r.key === 'H' || r.key === 'M0' ? t('points', { n: deltaText(r.key, r.delta) }) : deltaText(r.key, r.delta);
    return (
      <span className={`tj-trend-${r.direction}`}>
        {text}
        {r.direction !== 'neutral' && (
          <Tag color={TREND_COLORS[r.direction]} style={{ marginInlineStart: 6, marginInlineEnd: 0 }}>
            {t(r.direction)}
          </Tag>
        )}
      </span>
    );
  };

  return (
    <Card
      size="small"
      title={t('trend')}
      data-testid="trend-card"
      extra={
        <DatePicker
          size="small"
          allowClear
          placeholder={t('compareDate')}
          aria-label={t('compareDate')}
          data-testid="compare-date"
          value={compare ? dayjs(compare) : null}
          onChange={(d) => onCompare(d ? d.format('YYYY-MM-DD') : null)}
          presets={[
            { label: t('presetMonth'), value: base.subtract(1, 'month') },
            { label: t('presetQuarter'), value: base.subtract(3, 'month') },
            { label: t('presetYear'), value: base.subtract(1, 'year') },
          ]}
        />
      }
    >
      {compared.error !== null && compared.error !== undefined && !compared.loading ? (
        <ErrorAlert title={t('compareFailed')} error={compared.error} onRetry={compared.reload} />
      ) : !compare ? (
        <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }}>
          {t('compareHint', { date: area.asOf })}
        </Typography.Paragraph>
      ) : (
        <Table<Line>
          size="small"
          rowKey="key"
          pagination={false}
          loading={!result}
          dataSource={lines}
          data-testid="trend-table"
          scroll={{ x: 760 }}
          rowClassName={(l) => (l.rows ? 'tj-trend-change' : '')}
          columns={[
            {
              title: t('date'),
              dataIndex: 'label',
              key: 'label',
              width: 120,
              render: (v: string, l) => (l.rows ? <b>{v}</b> : <span className="tj-mono">{v}</span>),
            },
            ...keys.map((key) => ({
              title: title(key),
              key,
              align: 'right' as const,
              render: (_: unknown, l: Line) => {
                const row = l.rows?.find((r) => r.key === key);
                return row ? change(row) : l.values[key];
              },
            })),
          ]}
        />
      )}
    </Card>
  );
}
