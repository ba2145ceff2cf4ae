/**
 * The workbench's "政策找人" cards, from GET /api/leads/summary of the current unit: the leads and
 * reviews in the slot kept for them, and per policy the people reached and the leads (take-up as
 * the label) with the leads of each sub-unit.
 */
import { AlertOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Row, Skeleton, Statistic, Typography } from 'antd';
import type { ECElementEvent } from 'echarts/core';
import { useCallback, useMemo } from 'react';
import { Link } from 'react-router';
import type { LeadsSummary } from '../../api/policies.ts';
import type { ApiState } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { useOrg } from '../../app/OrgProvider.tsx';
import { EChart } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { leadMessages } from './messages.ts';
import { policyName } from './trace.ts';
import { areaLeadsOption, areaRows, policySummaryOption, summaryTotals, takeUpText } from './summary-chart.ts';

export interface SummaryProps {
  /** The request of the page (one for both cards). */
  state: ApiState<LeadsSummary>;
  /** The unit the page shows: a summary of another unit (still loading) is not shown under its name. */
  orgCode: string;
}

function current(state: ApiState<LeadsSummary>, orgCode: string): LeadsSummary | undefined {
  return state.data && state.data.org.code === orgCode ? state.data : undefined;
}

/** The figures in the slot kept for leads: leads, reviews, not yet handled; a link to the worklist. */
export function LeadsStatCard({ state, orgCode }: SummaryProps) {
  const t = useT(leadMessages);
  const { lang } = useI18n();
  const summary = current(state, orgCode);
  const totals = summary && summaryTotals(summary);
  return (
    <Card
      size="small"
      title={
        <span>
          <AlertOutlined /> {t('slotTitle')}
        </span>
      }
      data-testid="home-leads"
      extra={<Link to="/leads">{t('openWorklist')}</Link>}
    >
      {state.error !== null && state.error !== undefined && !state.loading ? (
        <ErrorAlert title={t('summaryFailed')} error={state.error} onRetry={state.reload} />
      ) : !totals ? (
        <Skeleton active paragraph={{ rows: 1 }} title={{ width: '40%' }} />
      ) : (
        <Row gutter={12}>
          <Col span={12}>
            <Statistic
              title={<Link to="/leads">{t('leads')}</Link>}
              value={totals.leads}
              suffix={t('people')}
              formatter={(v) => formatNumber(Number(v), lang)}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('pending', { n: formatNumber(totals.pending, lang) })}
            </Typography.Text>
          </Col>
          <Col span={12}>
            <Statistic
              title={<Link to="/leads?kind=review">{t('reviews')}</Link>}
              value={totals.reviews}
              suffix={t('people')}
              formatter={(v) => formatNumber(Number(v), lang)}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}

/** Per policy reached vs leads (take-up labelled) and leads by sub-unit. */
export function LeadsSummaryCard({ state, orgCode }: SummaryProps) {
  const t = useT(leadMessages);
  const { lang } = useI18n();
  const { setCurrent } = useOrg();
  const summary = current(state, orgCode);

  const policyOption = useMemo(
    () =>
      summary &&
      policySummaryOption(
        summary.policies.map((p) => ({
          name: policyName(p.code, p.name, lang),
          reached: p.reached,
          leads: p.leads,
          takeUp: p.takeUp,
        })),
        { reached: t('reached'), leads: t('leads'), takeUp: t('takeUp') },
      ),
    [summary, lang, t],
  );
  const areas = useMemo(() => (summary ? areaRows(summary.byArea) : []), [summary]);
  const areaOption = useMemo(() => areaLeadsOption(areas, { leads: t('leads'), reviews: t('reviews') }), [areas, t]);
  const onAreaClick = useCallback(
    (e: ECElementEvent) => {
      // Bars are drawn bottom-up: the last row is at index 0.
      const area = areas[areas.length - 1 - e.dataIndex];
      if (area && area.code !== summary?.org.code) setCurrent(area.code);
    },
    [areas, summary, setCurrent],
  );

  const none = summary && summary.policies.every((p) => p.reached + p.leads + p.reviews === 0);
  return (
    <Card
      size="small"
      title={t('homeTitle')}
      data-testid="home-leads-chart"
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('homeHint')}
        </Typography.Text>
      }
    >
      {state.error !== null && state.error !== undefined && !state.loading ? (
        <ErrorAlert title={t('summaryFailed')} error={state.error} onRetry={state.reload} />
      ) : !summary ? (
        <Skeleton active={state.loading} paragraph={{ rows: 8 }} />
      ) : none ? (
        <Empty style={{ height: 276, paddingTop: 80, margin: 0 }} description={t('noFindings')} />
      ) : (
        <Row gutter={[16, 12]}>
          <Col xs={24} xl={13}>
            <EChart
              option={policyOption!}
              height={300}
              testId="chart-leads-policies"
              label={`${t('homeTitle')}：${summary.policies.map((p) => `${policyName(p.code, p.name, lang)} ${t('reached')} ${p.reached} ${t('leads')} ${p.leads} ${t('reviews')} ${p.reviews} ${t('takeUp')} ${takeUpText(p.takeUp)}`).join('，')}`}
            />
          </Col>
          <Col xs={24} xl={11}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('byArea')}
              {areas.some((a) => a.code !== summary.org.code) ? ` · ${t('byAreaHint')}` : ''}
            </Typography.Text>
            {areas.length === 0 ? (
              <Empty style={{ height: 258, paddingTop: 70, margin: 0 }} description={t('noFindings')} />
            ) : (
              <EChart
                option={areaOption}
                height={Math.min(600, Math.max(282, 44 + areas.length * 20))}
                onClick={onAreaClick}
                testId="chart-leads-areas"
                label={`${t('byArea')}：${areas.map((a) => `${a.name} ${t('leads')} ${a.leads} ${t('reviews')} ${a.reviews}`).join('，')}`}
              />
            )}
          </Col>
        </Row>
      )}
    </Card>
  );
}
