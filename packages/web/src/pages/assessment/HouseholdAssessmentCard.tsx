/**
 * 需求评估 on the household page: the household's score and band on a date, each indicator's
 * status by dimension (困境 / 无 / 未能评估) with the help that answers each deprivation, and the
 * recorded assessments; "存档本次评估" keeps this one with its framework version and date. The date
 * comes from the page's `?asOf=` (the drill-down links carry the list's date) and can be changed here.
 */
import { FormOutlined, SaveOutlined } from '@ant-design/icons';
import { App as AntdApp, Badge, Button, Card, DatePicker, Skeleton, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  assessment,
  type HouseholdAssessmentView,
  type HouseholdIndicator,
  type IndicatorStatus,
  type RecordedAssessment,
} from '../../api/assessment.ts';
import { errorMessage } from '../../api/client.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { decimal, fraction, groupByDimension, isIsoDate } from './figures.ts';
import { assessmentMessages } from './messages.ts';
import { dimensionName, indicatorName } from './names.ts';
import { BandTag, HelpList, IndicatorTag, StatusTag } from './shared.tsx';
import { VisitQuestionnaire } from './VisitQuestionnaire.tsx';
import './assessment.css';

interface Row extends HouseholdIndicator {
  dimensionLabel: string;
  span: number;
}

function formatAt(at: string): string {
  const d = dayjs(at);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : at;
}

export function HouseholdAssessmentCard({ householdId }: { householdId: string }) {
  const t = useT(assessmentMessages);
  const { lang } = useI18n();
  const { message } = AntdApp.useApp();
  const [search, setSearch] = useSearchParams();
  const asOfParam = search.get('asOf');
  const asOf = isIsoDate(asOfParam) ? asOfParam : null;

  const { data, error, loading, reload } = useApi(
    (signal) => assessment.household(householdId, asOf, signal),
    [householdId, asOf],
  );
  // The framework gives the dimensions' names and order and the cut-off k.
  const framework = useApi((signal) => assessment.framework(signal), []);
  // The POST answers the view with the new history row; it stands until another household or date.
  const [saved, setSaved] = useState<HouseholdAssessmentView | null>(null);
  const [saving, setSaving] = useState(false);
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    setSaved(null);
  }, [householdId, asOf]);
  const fresh = (v: HouseholdAssessmentView | null | undefined) =>
    v && v.householdId === householdId && (asOf === null || v.asOf === asOf) ? v : undefined;
  const view = fresh(saved) ?? fresh(data);

  const setDate = (d: string | null) => {
    const next = new URLSearchParams(window.location.search);
    if (d) next.set('asOf', d);
    else next.delete('asOf');
    setSearch(next, { replace: true });
  };

  const onRecord = async () => {
    setSaving(true);
    try {
      const next = await assessment.record(householdId, asOf);
      setSaved(next);
      message.success(t('recorded', { date: next.asOf }));
    } catch (e) {
      message.error(`${t('recordFailed')}：${errorMessage(e)}`);
    } finally {
      setSaving(false);
    }
  };

  const fw = framework.data;
  const name = (code: string, serverName?: string) => indicatorName(code, lang, serverName);
  const names = Object.fromEntries((view?.indicators ?? []).map((x) => [x.code, name(x.code, x.name)]));
  const rows: Row[] = view
    ? groupByDimension(fw?.dimensions ?? [], view.indicators).flatMap((g) =>
        g.items.map((x, i) => ({
          ...x,
          dimensionLabel: dimensionName(g.code, lang, g.name === g.code ? undefined : g.name),
          span: i === 0 ? g.items.length : 0,
        })),
      )
    : [];
  const count = (s: IndicatorStatus) => view?.indicators.filter((x) => x.status === s).length ?? 0;

  return (
    <Card
      size="small"
      title={t('cardTitle')}
      data-testid="household-assessment"
      extra={
        <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('cardDate')}
          </Typography.Text>
          <DatePicker
            size="small"
            allowClear={asOf !== null}
            aria-label={t('asOf')}
            data-testid="household-as-of"
            value={dayjs(asOf ?? view?.asOf ?? undefined)}
            onChange={(d) => setDate(d ? d.format('YYYY-MM-DD') : null)}
          />
          <Tooltip title={t('questionnaireHint')}>
            <Badge count={count('unknown')} size="small" offset={[-4, 2]}>
              <Button
                size="small"
                icon={<FormOutlined />}
                disabled={!view}
                onClick={() => setAsking(true)}
                data-testid="open-questionnaire"
              >
                {t('questionnaire')}
              </Button>
            </Badge>
          </Tooltip>
          <Tooltip title={t('recordHint')}>
            <Button
              size="small"
              type="primary"
              icon={<SaveOutlined />}
              loading={saving}
              disabled={!view}
              onClick={onRecord}
              data-testid="record-assessment"
            >
              {t('record')}
            </Button>
          </Tooltip>
        </span>
      }
    >
      {error !== null && error !== undefined && !loading ? (
        <ErrorAlert title={t('cardFailed')} error={error} onRetry={reload} />
      ) : !view ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <>
          <div className="tj-assess-head" data-testid="household-assessment-head">
            <Tooltip title={`c = ${fraction(view.score)}`}>
              <span className="tj-assess-score">
                {t('scoreOf', { score: decimal(view.score), fraction: fraction(view.score) })}
              </span>
            </Tooltip>
            <BandTag band={view.band} />
            <Typography.Text type="secondary">{t('threshold', { k: fw ? fraction(fw.k) : '1/3' })}</Typography.Text>
            <Typography.Text>{t('deprivedCount', { n: count('deprived') })}</Typography.Text>
            {count('unknown') > 0 && (
              <Typography.Text type="warning">{t('unknownCount', { n: count('unknown') })}</Typography.Text>
            )}
            {view.visit.answers > 0 && (
              <Typography.Text type="secondary" data-testid="visit-applied">
                {t('visitApplied', { n: view.visit.answers, date: view.visit.lastVisit ?? '' })}
              </Typography.Text>
            )}
          </div>

          <Table<Row>
            size="small"
            rowKey="code"
            pagination={false}
            bordered
            dataSource={rows}
            scroll={{ x: 760 }}
            data-testid="household-indicators"
            rowClassName={(r) => (r.status === 'deprived' ? 'tj-status-deprived' : '')}
            columns={[
              {
                title: t('dimension'),
                key: 'dimension',
                width: 110,
                onCell: (r) => ({ rowSpan: r.span }),
                render: (_: unknown, r) => <b>{r.dimensionLabel}</b>,
              },
              { title: t('indicator'), key: 'name', width: 130, render: (_: unknown, r) => name(r.code, r.name) },
              {
                title: t('weight'),
                dataIndex: 'weight',
                key: 'weight',
                width: 64,
                align: 'center',
                render: (w: number) => <span className="tj-mono">{fraction(w)}</span>,
              },
              {
                title: t('status'),
                dataIndex: 'status',
                key: 'status',
                width: 150,
                render: (s: IndicatorStatus, r) => (
                  <span>
                    <StatusTag status={s} />
                    {r.fromVisit && (
                      <Tooltip title={t('fromVisitHint')}>
                        <Tag color="blue" data-testid={`from-visit-${r.code}`}>
                          {t('fromVisit')}
                        </Tag>
                      </Tooltip>
                    )}
                  </span>
                ),
              },
              {
                title: t('help'),
                dataIndex: 'help',
                key: 'help',
                render: (help: string[], r) =>
                  r.status === 'deprived' ? (
                    <HelpList help={help} inline />
                  ) : (
                    <Typography.Text type="secondary">—</Typography.Text>
                  ),
              },
            ]}
          />

          <div className="tj-assess-section">{t('history')}</div>
          <Table<RecordedAssessment>
            size="small"
            rowKey={(r) => `${r.recordedAt}|${r.asOf}`}
            pagination={false}
            dataSource={view.history}
            scroll={{ x: 760 }}
            locale={{ emptyText: t('noHistory') }}
            data-testid="assessment-history"
            columns={[
              { title: t('cardDate'), dataIndex: 'asOf', key: 'asOf', width: 110 },
              {
                title: t('frameworkVersion'),
                dataIndex: 'frameworkVersion',
                key: 'version',
                width: 90,
                render: (v: number) => t('versionN', { n: v }),
              },
              {
                title: t('score'),
                dataIndex: 'score',
                key: 'score',
                width: 96,
                align: 'right',
                render: (s: number) => <span className="tj-mono">{decimal(s)}</span>,
              },
              {
                title: t('band'),
                dataIndex: 'band',
                key: 'band',
                width: 96,
                render: (b: string) => <BandTag band={b} />,
              },
              {
                title: t('deprived'),
                dataIndex: 'deprived',
                key: 'deprived',
                render: (codes: string[]) =>
                  codes.length === 0 ? (
                    <Typography.Text type="secondary">{t('none')}</Typography.Text>
                  ) : (
                    codes.map((c) => <IndicatorTag key={c} name={names[c] ?? name(c)} color="volcano" />)
                  ),
              },
              { title: t('recordedBy'), dataIndex: 'recordedBy', key: 'by', width: 160, ellipsis: true },
              {
                title: t('recordedAt'),
                dataIndex: 'recordedAt',
                key: 'at',
                width: 140,
                render: (at: string) => formatAt(at),
              },
            ]}
          />
        </>
      )}
      {view && (
        <VisitQuestionnaire
          householdId={householdId}
          asOf={view.asOf}
          open={asking}
          onClose={() => setAsking(false)}
          onAnswered={(next) => setSaved(next)}
        />
      )}
    </Card>
  );
}
