/**
 * The drill-down: the households of the area (or of one unit below it) by score, highest first,
 * filtered by band and by indicator. Each row opens the household, on the same date.
 */
import { Button, Select, Table, Tooltip, Typography, type TableProps } from 'antd';
import { Link, useNavigate } from 'react-router';
import {
  assessment,
  BANDS,
  type AreaFigures,
  type Band,
  type FrameworkIndicator,
  type HouseholdRow,
} from '../../api/assessment.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { decimal, fraction } from './figures.ts';
import { assessmentMessages } from './messages.ts';
import { bandName, indicatorName } from './names.ts';
import { BandTag, IndicatorTag } from './shared.tsx';
import {
  CLEARED,
  hasDrillFilters,
  householdPath,
  householdsQuery,
  PAGE_SIZES,
  type AssessmentView,
} from './view-state.ts';

export interface HouseholdsDrillProps {
  view: AssessmentView;
  /** The page's area (null = the user's own). */
  orgCode: string | null;
  /** The units below the area, for the unit filter. */
  units: readonly AreaFigures[];
  indicators: readonly FrameworkIndicator[];
  update: (patch: Partial<AssessmentView>) => void;
}

export function HouseholdsDrill({ view, orgCode, units, indicators, update }: HouseholdsDrillProps) {
  const t = useT(assessmentMessages);
  const { lang } = useI18n();
  const navigate = useNavigate();
  const query = householdsQuery(view, orgCode);
  const { data, error, loading, reload } = useApi(
    (signal) => assessment.households(query, signal),
    [JSON.stringify(query)],
  );
  const names = Object.fromEntries(indicators.map((x) => [x.code, indicatorName(x.code, lang, x.name)]));
  const name = (code: string) => names[code] ?? code;

  const columns: TableProps<HouseholdRow>['columns'] = [
    {
      title: t('household'),
      dataIndex: 'householdId',
      key: 'id',
      width: 110,
      render: (id: string) => (
        <Link to={householdPath(id, view.asOf)} onClick={(e) => e.stopPropagation()} className="tj-mono">
          {id}
        </Link>
      ),
    },
    { title: t('committee'), dataIndex: 'committeeName', key: 'committee', width: 130, ellipsis: true },
    { title: t('members'), dataIndex: 'members', key: 'members', width: 64, align: 'right' },
    {
      title: t('score'),
      dataIndex: 'score',
      key: 'score',
      width: 104,
      align: 'right',
      render: (s: number) => (
        <Tooltip title={`c = ${fraction(s)}`}>
          <span className="tj-mono">{decimal(s)}</span>
        </Tooltip>
      ),
    },
    { title: t('band'), dataIndex: 'band', key: 'band', width: 96, render: (b: Band) => <BandTag band={b} /> },
    {
      title: t('deprived'),
      dataIndex: 'deprived',
      key: 'deprived',
      render: (codes: string[]) =>
        codes.length === 0 ? (
          <Typography.Text type="secondary">{t('none')}</Typography.Text>
        ) : (
          codes.map((c) => (
            <IndicatorTag
              key={c}
              name={name(c)}
              color={c === view.indicator ? 'red' : 'volcano'}
              title={t('filterByIndicator', { name: name(c) })}
              onClick={() => update({ indicator: c })}
            />
          ))
        ),
    },
    {
      title: t('unknown'),
      dataIndex: 'unknown',
      key: 'unknown',
      width: 150,
      render: (codes: string[]) =>
        codes.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          codes.map((c) => <IndicatorTag key={c} name={name(c)} />)
        ),
    },
  ];

  const onTableChange: TableProps<HouseholdRow>['onChange'] = (pagination, _filters, _sorter, extra) => {
    if (extra.action !== 'paginate') return;
    const pageSize = pagination.pageSize ?? view.pageSize;
    update({ page: pageSize !== view.pageSize ? 1 : (pagination.current ?? 1), pageSize });
  };

  return (
    <div>
      <div className="tj-filters" role="search">
        {units.length > 0 && (
          <Select
            style={{ width: 180 }}
            allowClear
            placeholder={t('allUnits')}
            aria-label={t('unit')}
            value={view.unit ?? undefined}
            data-testid="drill-unit"
            onChange={(v) => update({ unit: v ?? null })}
            popupMatchSelectWidth={false}
            showSearch
            optionFilterProp="label"
            options={units.map((u) => ({ value: u.code, label: u.name }))}
          />
        )}
        <Select
          style={{ width: 140 }}
          allowClear
          placeholder={t('band')}
          aria-label={t('band')}
          value={view.band ?? undefined}
          data-testid="drill-band"
          onChange={(v) => update({ band: v ?? null })}
          options={[...BANDS].reverse().map((b) => ({ value: b, label: bandName(b, lang) }))}
        />
        <Select
          style={{ width: 168 }}
          allowClear
          placeholder={t('indicator')}
          aria-label={t('indicator')}
          value={view.indicator ?? undefined}
          data-testid="drill-indicator"
          onChange={(v) => update({ indicator: v ?? null })}
          popupMatchSelectWidth={false}
          options={indicators.map((x) => ({ value: x.code, label: name(x.code) }))}
        />
        {hasDrillFilters(view) && (
          <Button type="link" onClick={() => update(CLEARED)}>
            {t('clearFilters')}
          </Button>
        )}
      </div>
      {error !== null && error !== undefined && !loading && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('drillFailed')} error={error} onRetry={reload} />
        </div>
      )}
      <Table<HouseholdRow>
        rowKey="householdId"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        locale={{ emptyText: t('noMatches') }}
        onChange={onTableChange}
        onRow={(r) => ({
          onClick: () => navigate(householdPath(r.householdId, view.asOf)),
          className: 'tj-clickable-row',
        })}
        pagination={{
          current: view.page,
          pageSize: view.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES.map(String),
          showTotal: (n) => (data ? t('totalHouseholds', { n: formatNumber(n, lang) }) : ''),
        }}
        scroll={{ x: 900 }}
        data-testid="drill-table"
      />
    </div>
  );
}
