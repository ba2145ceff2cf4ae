/**
 * 政策测算 on the resident 360 view: every policy of the pack for this person today, whether the
 * rules find them eligible, whether they receive it, and the finding (线索 / 复核) with its amount;
 * a row expands to the same explanation the worklist shows.
 */
import { Card, Table, Tag, Typography } from 'antd';
import { eligibility, type PolicyExplanationView } from '../../api/policies.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { EligibleTag, ExplanationTree } from './ExplanationTree.tsx';
import { leadMessages } from './messages.ts';
import { policyName } from './trace.ts';

/** `residentRef`: the person's ref (the 360 view's `person.ref`). */
export function EligibilityCard({ residentRef }: { residentRef: string }) {
  const t = useT(leadMessages);
  const { lang } = useI18n();
  const { data, error, loading, reload } = useApi(
    (signal) => eligibility.get(residentRef, undefined, signal),
    [residentRef],
  );
  const view = data && data.ref === residentRef ? data : undefined;
  return (
    <Card
      size="small"
      title={t('cardTitle')}
      data-testid="eligibility-card"
      extra={
        view && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('cardHint', { date: view.asOf })}
          </Typography.Text>
        )
      }
    >
      {error !== null && error !== undefined && !loading ? (
        <ErrorAlert title={t('cardFailed')} error={error} onRetry={reload} />
      ) : (
        <Table<PolicyExplanationView>
          size="small"
          rowKey="policy"
          pagination={false}
          loading={loading && !view}
          dataSource={view?.policies ?? []}
          expandable={{
            expandedRowRender: (p) => (
              <ExplanationTree explanation={p} header={false} testId={`explanation-${p.policy}`} />
            ),
            expandRowByClick: true,
          }}
          rowClassName={() => 'tj-clickable-row'}
          scroll={{ x: 640 }}
          columns={[
            {
              title: t('policy'),
              dataIndex: 'policy',
              key: 'policy',
              render: (code: string, p) => (
                <span>
                  {policyName(code, p.name, lang)}
                  {!p.inForce && <Tag style={{ marginLeft: 6 }}>{t('notInForce')}</Tag>}
                </span>
              ),
            },
            {
              title: t('eligible'),
              dataIndex: 'eligible',
              key: 'eligible',
              width: 130,
              render: (_: unknown, p) => <EligibleTag eligible={p.eligible} />,
            },
            {
              title: t('receiving'),
              dataIndex: 'holds',
              key: 'holds',
              width: 100,
              render: (h: boolean) =>
                h ? (
                  <Tag color="green" variant="filled">
                    {t('holds')}
                  </Tag>
                ) : (
                  <Typography.Text type="secondary">{t('notHolds')}</Typography.Text>
                ),
            },
            {
              title: t('finding'),
              dataIndex: 'kind',
              key: 'kind',
              width: 90,
              render: (k: PolicyExplanationView['kind']) =>
                k === null ? (
                  '—'
                ) : (
                  <Tag color={k === 'lead' ? 'orange' : 'red'}>{k === 'lead' ? t('kindLead') : t('kindReview')}</Tag>
                ),
            },
            {
              title: t('amount'),
              dataIndex: 'monthlyAmountYuan',
              key: 'amount',
              width: 120,
              align: 'right',
              render: (v: number | null) => (v === null ? '—' : t('perMonth', { n: formatNumber(v, lang, 2) })),
            },
          ]}
        />
      )}
    </Card>
  );
}
