/**
 * The framework in a collapsible panel: how the score is counted, and per dimension its
 * indicators with their weights (as fractions, as the framework file writes them), the condition
 * in the rule language and the help each one answers with.
 */
import { Collapse, Table, Typography } from 'antd';
import type { FrameworkIndicator, FrameworkView } from '../../api/assessment.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { fraction, groupByDimension } from './figures.ts';
import { assessmentMessages } from './messages.ts';
import { dimensionName, indicatorName } from './names.ts';
import { HelpList } from './shared.tsx';

interface Row extends FrameworkIndicator {
  dimensionLabel: string;
  dimensionWeight: number | null;
  span: number;
}

export function FrameworkPanel({ framework }: { framework: FrameworkView }) {
  const t = useT(assessmentMessages);
  const { lang } = useI18n();
  const k = fraction(framework.k);
  // One row per indicator; the dimension cell spans its indicators.
  const rows: Row[] = groupByDimension(framework.dimensions, framework.indicators).flatMap((g) =>
    g.items.map((x, i) => ({
      ...x,
      dimensionLabel: dimensionName(g.code, lang, g.name),
      dimensionWeight: g.weight,
      span: i === 0 ? g.items.length : 0,
    })),
  );

  return (
    <Collapse
      size="small"
      data-testid="framework-panel"
      items={[
        {
          key: 'framework',
          label: (
            <span>
              <b>{t('framework', { name: framework.name, version: framework.version })}</b>
              <Typography.Text type="secondary" style={{ marginInlineStart: 12, fontSize: 13 }}>
                {t('frameworkSummary', {
                  dimensions: framework.dimensions.length,
                  indicators: framework.indicators.length,
                  k,
                })}
              </Typography.Text>
            </span>
          ),
          children: (
            <div>
              <Typography.Paragraph style={{ fontSize: 13 }}>{t('frameworkRule', { k })}</Typography.Paragraph>
              <Table<Row>
                size="small"
                rowKey="code"
                pagination={false}
                bordered
                dataSource={rows}
                scroll={{ x: 980 }}
                data-testid="framework-table"
                columns={[
                  {
                    title: t('dimension'),
                    key: 'dimension',
                    width: 120,
                    onCell: (r) => ({ rowSpan: r.span }),
                    render: (_: unknown, r) => (
                      <span>
                        <b>{r.dimensionLabel}</b>
                        {r.dimensionWeight !== null && (
                          <Typography.Text type="secondary"> · {fraction(r.dimensionWeight)}</Typography.Text>
                        )}
                      </span>
                    ),
                  },
                  {
                    title: t('indicator'),
                    key: 'name',
                    width: 130,
                    render: (_: unknown, r) => indicatorName(r.code, lang, r.name),
                  },
                  {
                    title: t('weight'),
                    dataIndex: 'weight',
                    key: 'weight',
                    width: 70,
                    align: 'center',
                    render: (w: number) => <span className="tj-mono">{fraction(w)}</span>,
                  },
                  {
                    title: t('rule'),
                    dataIndex: 'rule',
                    key: 'rule',
                    width: 340,
                    render: (rule: string) => (
                      <code
                        className="tj-mono"
                        style={{ fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
                      >
                        {rule}
                      </code>
                    ),
                  },
                  {
                    title: t('help'),
                    dataIndex: 'help',
                    key: 'help',
                    render: (help: string[]) => <HelpList help={help} compact />,
                  },
                ]}
              />
            </div>
          ),
        },
      ]}
    />
  );
}
