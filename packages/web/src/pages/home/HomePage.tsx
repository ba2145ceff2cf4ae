/** 工作台: the current unit's population, households, age structure, benefit holders and policy findings. */
import { AuditOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Row, Skeleton, Statistic, Typography } from 'antd';
import type { ECElementEvent } from 'echarts/core';
import { useCallback, useMemo } from 'react';
import { Link } from 'react-router';
import { assessment } from '../../api/assessment.ts';
import { stats } from '../../api/endpoints.ts';
import { leads } from '../../api/policies.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { useOrg } from '../../app/OrgProvider.tsx';
import { useUser } from '../../app/SessionProvider.tsx';
import { benefitName, levelName } from '../../app/terms.ts';
import { EChart } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { LeadsStatCard, LeadsSummaryCard } from '../leads/LeadsSummaryCards.tsx';
import { agePyramidOption, benefitsOption, childUnitsOption } from './charts.ts';
import { homeMessages } from './messages.ts';

export default function HomePage() {
  const t = useT(homeMessages);
  const { lang } = useI18n();
  const { currentCode, current, setCurrent } = useOrg();
  const { data, error, loading, reload } = useApi((signal) => stats.overview(currentCode, signal), [currentCode]);
  const user = useUser();
  // One request for both "政策找人" cards: the leads slot and the chart row.
  const leadsSummary = useApi((signal) => leads.summary(currentCode, undefined, signal), [currentCode]);
  // While another unit loads, the previous unit's figures are not shown under the new name.
  const overview = data && data.org.code === (currentCode ?? user.orgCode) ? data : undefined;

  const childOption = useMemo(
    () => overview && childUnitsOption(overview.children, { residents: t('residents'), households: t('households') }),
    [overview, t],
  );
  const pyramidOption = useMemo(
    () => overview && agePyramidOption(overview.agePyramid, { male: t('male'), female: t('female') }),
    [overview, t],
  );
  const benefitOption = useMemo(
    () =>
      overview &&
      benefitsOption(
        overview.facts.benefits.map((b) => ({ name: benefitName(b.code, lang, b.name), holders: b.holders })),
        t('holders'),
      ),
    [overview, lang, t],
  );

  const onChildClick = useCallback(
    (e: ECElementEvent) => {
      const child = overview?.children[e.dataIndex];
      if (child) setCurrent(child.code);
    },
    [overview, setCurrent],
  );

  const n = (v: number) => formatNumber(v, lang);
  interface StatCard {
    key: string;
    title: string;
    value: number;
    suffix: string;
    extra?: string;
  }
  const cards: StatCard[] = overview
    ? [
        { key: 'residents', title: t('residents'), value: overview.residents, suffix: t('people') },
        { key: 'households', title: t('households'), value: overview.households, suffix: t('householdUnit') },
        {
          key: 'disability',
          title: t('disability'),
          value: overview.facts.disability,
          suffix: t('people'),
          extra: t('severeDisability', { n: n(overview.facts.severeDisability) }),
        },
        { key: 'chronic', title: t('chronicIllness'), value: overview.facts.chronicIllness, suffix: t('people') },
        { key: 'alone', title: t('eldersAlone'), value: overview.facts.eldersAlone, suffix: t('people') },
        { key: 'aged80', title: t('aged80plus'), value: overview.facts.aged80plus, suffix: t('people') },
      ]
    : [];

  return (
    <div data-testid="home-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('title', { org: overview?.org.name ?? current.name })}</h1>
          {overview && (
            <span className="tj-page-sub">
              {levelName(overview.org.level, lang)} · {overview.org.code} · {t('asOf', { date: overview.asOf })}
            </span>
          )}
        </div>
      </div>

      {error !== null && error !== undefined && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('loadFailed')} error={error} onRetry={reload} />
        </div>
      )}

      <Row gutter={[12, 12]}>
        {overview
          ? cards.map((c) => (
              <Col key={c.key} xs={12} md={8} xl={4}>
                <Card size="small" className="tj-stat-card" data-testid={`stat-${c.key}`}>
                  <Statistic title={c.title} value={c.value} suffix={c.suffix} formatter={(v) => n(Number(v))} />
                  {c.extra && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {c.extra}
                    </Typography.Text>
                  )}
                </Card>
              </Col>
            ))
          : Array.from({ length: 6 }, (_, i) => (
              <Col key={i} xs={12} md={8} xl={4}>
                <Card size="small">
                  <Skeleton active={loading} paragraph={{ rows: 1 }} title={{ width: '60%' }} />
                </Card>
              </Col>
            ))}

        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={t('byChild')}
            extra={
              overview && overview.children.length > 0 ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('byChildHint')}
                </Typography.Text>
              ) : null
            }
          >
            {!overview ? (
              <Skeleton active={loading} paragraph={{ rows: 8 }} />
            ) : overview.children.length === 0 ? (
              <Empty style={{ height: 276, paddingTop: 80, margin: 0 }} description={t('noChildren')} />
            ) : (
              <EChart
                option={childOption!}
                height={300}
                label={`${t('byChild')}：${overview.children.map((c) => `${c.name} ${c.residents}`).join('，')}`}
                onClick={onChildClick}
                testId="chart-children"
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('pyramid')}>
            {!overview ? (
              <Skeleton active={loading} paragraph={{ rows: 8 }} />
            ) : (
              <EChart
                option={pyramidOption!}
                height={300}
                label={`${t('pyramid')}：${overview.agePyramid.map((b) => `${b.band} ${t('male')} ${b.male} ${t('female')} ${b.female}`).join('，')}`}
                testId="chart-pyramid"
              />
            )}
          </Card>
        </Col>

        <Col xs={24} xl={14}>
          <Card size="small" title={t('benefits')}>
            {!overview ? (
              <Skeleton active={loading} paragraph={{ rows: 6 }} />
            ) : (
              <EChart
                option={benefitOption!}
                height={262}
                label={`${t('benefits')}：${overview.facts.benefits.map((b) => `${benefitName(b.code, lang, b.name)} ${b.holders}`).join('，')}`}
                testId="chart-benefits"
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Row gutter={[12, 12]}>
            <Col span={24}>
              <LeadsStatCard state={leadsSummary} orgCode={currentCode ?? user.orgCode} />
            </Col>
            <Col span={24}>
              <AssessmentStatCard orgCode={currentCode ?? user.orgCode} />
            </Col>
          </Row>
        </Col>

        <Col span={24}>
          <LeadsSummaryCard state={leadsSummary} orgCode={currentCode ?? user.orgCode} />
        </Col>
      </Row>
    </div>
  );
}

/** 需求评估 on the workbench: the area's multidimensionally deprived households (q of n), H and M0 today. */
function AssessmentStatCard({ orgCode }: { orgCode: string }) {
  const t = useT(homeMessages);
  const { lang } = useI18n();
  const { data, error, loading, reload } = useApi(
    (signal) => assessment.areas(orgCode || null, null, signal),
    [orgCode],
  );
  const unit = data && data.unit.code === orgCode ? data.unit : undefined;
  return (
    <Card
      size="small"
      title={
        <span>
          <AuditOutlined /> {t('assessment')}
        </span>
      }
      extra={<Link to="/assessment">{t('openAssessment')}</Link>}
      data-testid="home-assessment"
    >
      {error !== null && error !== undefined && !loading ? (
        <ErrorAlert title={t('assessmentFailed')} error={error} onRetry={reload} />
      ) : unit ? (
        <>
          <Statistic
            title={<Link to="/assessment">{t('deprived')}</Link>}
            value={unit.q}
            suffix={t('householdUnit')}
            formatter={(v) => formatNumber(Number(v), lang)}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('assessmentFigures', {
              n: formatNumber(unit.n, lang),
              h: `${(unit.H * 100).toFixed(1)}%`,
              m0: unit.M0.toFixed(3),
            })}
          </Typography.Text>
        </>
      ) : (
        <Skeleton active paragraph={{ rows: 1 }} title={{ width: '40%' }} />
      )}
    </Card>
  );
}
