/**
 * 需求评估: the multidimensional needs assessment of the current area on a date (Alkire–Foster:
 * n, q, H, A, M0), each sub-unit's M0 split by indicator, the heat table of the sub-units, the
 * households by band, a comparison with a second date, the framework, and the drill-down to the
 * households. Choices live in the URL (view-state.ts); the area is the one chosen in the navigator.
 */
import { SettingOutlined } from '@ant-design/icons';
import { may } from '@tingjian/engine/browser';
import { Button, Card, Col, DatePicker, Empty, Row, Skeleton, Statistic, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ECElementEvent, EChartsCoreOption } from 'echarts/core';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { assessment, BANDS, type AreaFigures, type Band } from '../../api/assessment.ts';
import { useApi } from '../../api/useApi.ts';
import { today } from '../../app/clock.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { useOrg } from '../../app/OrgProvider.tsx';
import { useUser } from '../../app/SessionProvider.tsx';
import { levelName } from '../../app/terms.ts';
import { EChart } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { bandRows, bandsOption, contributionOption, contributionSeries, heatMax, segmentAt } from './charts.ts';
import { decimal, fraction, percent } from './figures.ts';
import { FrameworkPanel } from './FrameworkPanel.tsx';
import { HeatTable } from './HeatTable.tsx';
import { HouseholdsDrill } from './HouseholdsDrill.tsx';
import { assessmentMessages } from './messages.ts';
import { BAND_NAMES, bandName, indicatorColors, indicatorName } from './names.ts';
import { TrendCard } from './TrendCard.tsx';
import { viewFromSearch, viewToSearch, type AssessmentView } from './view-state.ts';
import './assessment.css';

/**
 * ECharts' aria module writes a description it generates (every raw value of every series, for ten
 * stacked series an unreadable list) over the container's aria-label; ours is the one to read.
 */
function described(option: EChartsCoreOption, description: string): EChartsCoreOption {
  return { ...option, aria: { enabled: true, label: { description } } };
}

export default function AssessmentPage() {
  const t = useT(assessmentMessages);
  const { lang } = useI18n();
  const user = useUser();
  const { currentCode, current, setCurrent } = useOrg();
  const [search, setSearch] = useSearchParams();
  const view = useMemo(() => viewFromSearch(search), [search]);

  const update = useCallback(
    (patch: Partial<AssessmentView>, replace = false) => {
      // The URL as it is now, not the last render's view: two quick changes must not undo each other.
      const latest = viewFromSearch(new URLSearchParams(window.location.search));
      // Any change but paging itself starts the list again at page 1.
      setSearch(viewToSearch({ ...latest, ...patch, page: patch.page ?? 1 }), { replace });
    },
    [setSearch],
  );

  // Another area: the unit chosen below the previous one means nothing there.
  const firstOrg = useRef(currentCode);
  useEffect(() => {
    if (firstOrg.current !== currentCode) {
      firstOrg.current = currentCode;
      if (view.unit !== null || view.page !== 1) update({ unit: null }, true);
    }
  }, [currentCode, view.unit, view.page, update]);

  const orgCode = currentCode ?? user.orgCode;
  const framework = useApi((signal) => assessment.framework(signal), []);
  const areas = useApi((signal) => assessment.areas(currentCode, view.asOf, signal), [currentCode, view.asOf]);
  const compared = useApi(
    (signal) => (view.compare ? assessment.areas(currentCode, view.compare, signal) : Promise.resolve(undefined)),
    [currentCode, view.compare],
  );
  // While another area or date loads, the previous figures are not shown under the new name.
  const area =
    areas.data && areas.data.unit.code === orgCode && (view.asOf === null || areas.data.asOf === view.asOf)
      ? areas.data
      : undefined;
  const fw = framework.data;
  const indicators = useMemo(() => fw?.indicators ?? [], [fw]);
  const date = area?.asOf ?? view.asOf ?? today();

  // The drill-down answers every click: scroll it into view so the click visibly did something.
  const drillBox = useRef<HTMLDivElement>(null);
  const drill = useCallback(
    (patch: Partial<AssessmentView>) => {
      update(patch);
      drillBox.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
    [update],
  );

  // The bars: the sub-units; a committee has none, so it shows itself as the one bar.
  const hasChildren = (area?.children.length ?? 0) > 0;
  const chart = useMemo(
    () => (area ? contributionSeries(hasChildren ? area.children : [area.unit], indicators) : undefined),
    [area, hasChildren, indicators],
  );
  const names = useMemo(
    () => Object.fromEntries(indicators.map((x) => [x.code, indicatorName(x.code, lang, x.name)])),
    [indicators, lang],
  );
  const colors = useMemo(() => (fw ? indicatorColors(fw.dimensions, fw.indicators) : {}), [fw]);
  const chartLabel = chart
    ? `${t('byChild')}：${chart.units.map((x) => `${x.name} M0 ${percent(x.M0)}`).join('，')}`
    : '';
  const contribution = useMemo(
    () =>
      chart &&
      described(
        contributionOption(chart, { names, colors, m0: 'M0', h: 'H', contribution: t('contribution') }),
        chartLabel,
      ),
    [chart, names, colors, t, chartLabel],
  );
  const bandNames = useMemo(
    () => Object.fromEntries(BANDS.map((b) => [b, BAND_NAMES[b][lang]])) as Record<Band, string>,
    [lang],
  );
  const bandLabel = area
    ? `${t('bands')}：${bandRows(area.bands)
        .map((r) => `${bandName(r.band, lang)} ${r.count}`)
        .join('，')}`
    : '';
  const bands = useMemo(
    () => area && described(bandsOption(area.bands, { names: bandNames, households: t('households') }), bandLabel),
    [area, bandNames, t, bandLabel],
  );

  const onSegment = useCallback(
    (e: ECElementEvent) => {
      if (!chart) return;
      const hit = segmentAt(chart, e.seriesIndex, e.dataIndex);
      if (hit) drill({ indicator: hit.indicator, unit: hit.unit.code === area?.unit.code ? null : hit.unit.code });
    },
    [chart, area, drill],
  );
  const onBand = useCallback(
    (e: ECElementEvent) => {
      const band = BANDS[e.dataIndex];
      if (band) drill({ band });
    },
    [drill],
  );
  const onCell = useCallback(
    (u: AreaFigures, indicator: string) => drill({ indicator, unit: u.code === area?.unit.code ? null : u.code }),
    [area, drill],
  );
  const onIndicator = useCallback((indicator: string) => drill({ indicator, unit: null }), [drill]);

  const n = (v: number) => formatNumber(v, lang);
  const k = fw ? fraction(fw.k) : '1/3';
  const u = area?.unit;
  const stats = u
    ? [
        { key: 'n', title: t('statN'), value: n(u.n), suffix: t('householdUnit'), hint: t('statNHint') },
        { key: 'q', title: t('statQ'), value: n(u.q), suffix: t('householdUnit'), hint: t('statQHint', { k }) },
        { key: 'H', title: t('statH'), value: percent(u.H), hint: t('statHHint') },
        { key: 'A', title: t('statA'), value: decimal(u.A), hint: t('statAHint') },
        { key: 'M0', title: t('statM0'), value: percent(u.M0), hint: t('statM0Hint') },
      ]
    : [];
  const error = areas.error ?? framework.error;

  return (
    <div data-testid="assessment-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('title', { org: area?.unit.name ?? current.name })}</h1>
          {area && fw && (
            <span className="tj-page-sub">
              {t('subtitle', {
                level: levelName(area.unit.level, lang),
                framework: fw.name,
                version: area.framework.version,
                date: area.asOf,
              })}
            </span>
          )}
        </div>
        <Tooltip title={t('asOfHint')}>
          <span>
            {may(user.role, 'framework.edit') && (
              <Link to="/assessment/framework" style={{ marginInlineEnd: 16 }} data-testid="open-framework-editor">
                <Button icon={<SettingOutlined />}>{t('frameworkEditor')}</Button>
              </Link>
            )}
            <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
              {t('asOf')}
            </Typography.Text>
            <DatePicker
              allowClear={view.asOf !== null}
              aria-label={t('asOf')}
              placeholder={t('asOf')}
              data-testid="as-of"
              value={dayjs(view.asOf ?? date)}
              onChange={(d) => update({ asOf: d ? d.format('YYYY-MM-DD') : null })}
            />
          </span>
        </Tooltip>
      </div>

      {error !== null && error !== undefined && !areas.loading && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert
            title={t('loadFailed')}
            error={error}
            onRetry={() => {
              areas.reload();
              framework.reload();
            }}
          />
        </div>
      )}

      <Row gutter={[12, 12]}>
        {u
          ? stats.map((s) => (
              <Col key={s.key} xs={12} md={8} xl={{ flex: '20%' }}>
                <Card size="small" className="tj-stat-card tj-assess-stat" data-testid={`stat-${s.key}`}>
                  <Statistic title={s.title} value={s.value} suffix={s.suffix} />
                  <span className="tj-assess-stat-hint">{s.hint}</span>
                </Card>
              </Col>
            ))
          : Array.from({ length: 5 }, (_, i) => (
              <Col key={i} xs={12} md={8} xl={{ flex: '20%' }}>
                <Card size="small">
                  <Skeleton active={areas.loading} paragraph={{ rows: 1 }} title={{ width: '60%' }} />
                </Card>
              </Col>
            ))}

        {area && area.unit.n === 0 ? (
          <Col span={24}>
            <Card size="small">
              <Empty description={t('noHouseholds')} />
            </Card>
          </Col>
        ) : (
          <>
            <Col xs={24} xl={15}>
              <Card
                size="small"
                title={hasChildren || !area ? t('byChild') : t('unitContributions')}
                style={{ height: '100%' }}
              >
                {!chart || !contribution || !fw ? (
                  <Skeleton active={areas.loading} paragraph={{ rows: 9 }} />
                ) : (
                  <>
                    <EChart
                      option={contribution}
                      height={340}
                      label={chartLabel}
                      onClick={onSegment}
                      testId="chart-contributions"
                    />
                    <Typography.Paragraph type="secondary" className="tj-assess-hint" style={{ margin: '4px 0 0' }}>
                      {[
                        t('byChildHint'),
                        hasChildren ? null : t('noChildren'),
                        chart.empty > 0 ? t('emptyUnits', { n: chart.empty }) : null,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Typography.Paragraph>
                  </>
                )}
              </Card>
            </Col>
            <Col xs={24} xl={9}>
              <Card
                size="small"
                title={t('bands')}
                style={{ height: '100%' }}
                extra={
                  <Typography.Text type="secondary" className="tj-assess-hint">
                    {t('bandsHint')}
                  </Typography.Text>
                }
              >
                {!area || !bands ? (
                  <Skeleton active={areas.loading} paragraph={{ rows: 8 }} />
                ) : (
                  <>
                    <EChart option={bands} height={300} label={bandLabel} onClick={onBand} testId="chart-bands" />
                    <Typography.Paragraph type="secondary" className="tj-assess-hint" style={{ margin: '4px 0 0' }}>
                      {t('bandRule', { k })}
                    </Typography.Paragraph>
                  </>
                )}
              </Card>
            </Col>

            <Col span={24}>
              {area ? (
                <TrendCard
                  area={area}
                  compared={compared}
                  compare={view.compare}
                  onCompare={(d) => update({ compare: d }, true)}
                />
              ) : (
                <Card size="small" title={t('trend')}>
                  <Skeleton active={areas.loading} paragraph={{ rows: 2 }} />
                </Card>
              )}
            </Col>

            <Col span={24}>
              <Card
                size="small"
                title={t('heat')}
                extra={
                  <span className="tj-heat-legend">
                    0 <span className="tj-heat-legend-bar" aria-hidden />{' '}
                    {chart ? percent(heatMax(chart.units, indicators), 1) : ''}
                  </span>
                }
              >
                {!area || !chart || !fw ? (
                  <Skeleton active={areas.loading} paragraph={{ rows: 6 }} />
                ) : (
                  <>
                    <Typography.Paragraph type="secondary" className="tj-assess-hint" style={{ marginBottom: 8 }}>
                      {t('heatHint')}
                    </Typography.Paragraph>
                    <HeatTable
                      units={chart.units}
                      total={area.unit}
                      indicators={indicators}
                      onCell={onCell}
                      onIndicator={onIndicator}
                      onOpenUnit={hasChildren ? (x) => setCurrent(x.code) : undefined}
                    />
                  </>
                )}
              </Card>
            </Col>
          </>
        )}

        <Col span={24}>
          <div ref={drillBox} style={{ scrollMarginTop: 8 }}>
            <Card
              size="small"
              title={t('drill')}
              data-testid="drill-card"
              extra={
                <Typography.Text type="secondary" className="tj-assess-hint">
                  {t('drillHint')} · {date}
                </Typography.Text>
              }
            >
              {fw ? (
                <HouseholdsDrill
                  view={view}
                  orgCode={currentCode}
                  units={area?.children.filter((c) => c.n > 0) ?? []}
                  indicators={indicators}
                  update={update}
                />
              ) : (
                <Skeleton active={framework.loading} paragraph={{ rows: 6 }} />
              )}
            </Card>
          </div>
        </Col>

        <Col span={24}>
          {fw ? (
            <FrameworkPanel framework={fw} />
          ) : framework.error ? (
            <ErrorAlert title={t('frameworkFailed')} error={framework.error} onRetry={framework.reload} />
          ) : null}
        </Col>
      </Row>
    </div>
  );
}
