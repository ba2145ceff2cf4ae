/**
 * 居民: the resident list of the current area with instant search, filters, server-side sorting
 * and paging. Lists show masked id numbers and phones only; a row opens the 360 view.
 */
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Input, InputNumber, Select, Table, Typography, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { residents } from '../../api/endpoints.ts';
import { saveBlob } from '../../api/download.ts';
import type { ResidentListItem } from '../../api/types.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { useOrg } from '../../app/OrgProvider.tsx';
import { BENEFIT_CODES, benefitName, valueName } from '../../app/terms.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  exportQuery,
  filtersFromSearch,
  filtersToSearch,
  GENDERS,
  hasFilters,
  HUKOU,
  listQuery,
  MAX_QUERY_LENGTH,
  PAGE_SIZES,
  pagerTotal,
  SORT_FIELDS,
  totalKey,
  DEFAULT_FILTERS,
  type ResidentFilters,
} from './filters.ts';
import { ageOn } from './history.ts';
import { residentMessages } from './messages.ts';
import { today } from '../../app/clock.ts';

const SEARCH_DELAY_MS = 200;

export default function ResidentsPage() {
  const t = useT(residentMessages);
  const { lang } = useI18n();
  const navigate = useNavigate();
  const { message } = AntdApp.useApp();
  const { currentCode, current } = useOrg();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);

  const update = useCallback(
    (patch: Partial<ResidentFilters>, replace = false) => {
      // Any change but paging itself starts again at page 1.
      const next = { ...filters, ...patch, page: patch.page ?? 1 };
      setSearch(filtersToSearch(next), { replace });
    },
    [filters, setSearch],
  );

  // Instant search: the box updates at once, the query after a short pause.
  const [text, setText] = useState(filters.q);
  const pushed = useRef(filters.q);
  useEffect(() => {
    if (filters.q !== pushed.current) {
      pushed.current = filters.q;
      setText(filters.q);
    }
  }, [filters.q]);
  useEffect(() => {
    if (text.trim() === filters.q.trim()) return;
    const timer = setTimeout(() => {
      pushed.current = text.trim();
      update({ q: text }, true);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, filters.q, update]);

  // A new area starts at page 1.
  const firstOrg = useRef(currentCode);
  useEffect(() => {
    if (firstOrg.current !== currentCode) {
      firstOrg.current = currentCode;
      if (filters.page !== 1) update({}, true);
    }
  }, [currentCode, filters.page, update]);

  const query = listQuery(filters, currentCode);
  const key = totalKey(filters, currentCode);
  const totals = useRef(new Map<string, { n: number; capped: boolean }>());
  const { data, error, loading, reload } = useApi(
    async (signal) => ({ page: await residents.list(query, signal), key }),
    [JSON.stringify(query)],
  );
  if (data && data.page.total !== null)
    totals.current.set(data.key, { n: data.page.total, capped: data.page.totalCapped });
  const counted = data ? (totals.current.get(data.key) ?? null) : null;
  const known = counted?.n ?? null;
  const offset = (filters.page - 1) * filters.pageSize;
  const total = data
    ? pagerTotal(known, offset, data.page.items.length, data.page.hasMore, filters.pageSize, counted?.capped)
    : 0;

  const [exporting, setExporting] = useState(false);
  const onExport = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await residents.export(exportQuery(filters, currentCode));
      const name = filename ?? `residents-${today()}.xlsx`;
      saveBlob(blob, name);
      message.success(t('exported', { file: name }));
    } catch (e) {
      message.error(`${t('exportFailed')}：${errorMessage(e)}`);
    } finally {
      setExporting(false);
    }
  };

  const sortOrder = (field: string) =>
    filters.sort === field ? (filters.order === 'desc' ? 'descend' : 'ascend') : null;
  const stop = (e: MouseEvent) => e.stopPropagation();
  const now = today();

  const columns: TableProps<ResidentListItem>['columns'] = [
    {
      title: t('name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      width: 110,
      render: (name: string, r) => (
        <Link to={`/residents/${r.ref}`} onClick={stop}>
          {name}
        </Link>
      ),
    },
    {
      title: t('idNumber'),
      dataIndex: 'idNumberMasked',
      key: 'id_number',
      sorter: true,
      sortOrder: sortOrder('id_number'),
      width: 190,
      render: (v: string) => <span className="tj-mono">{v}</span>,
    },
    { title: t('gender'), dataIndex: 'gender', key: 'gender', width: 64, render: (v: string) => valueName(v, lang) },
    {
      title: t('birthDate'),
      dataIndex: 'birthDate',
      key: 'birth_date',
      sorter: true,
      sortOrder: sortOrder('birth_date'),
      width: 150,
      render: (v: string) => (
        <span>
          {v} <Typography.Text type="secondary">({t('yearsOld', { n: ageOn(v, now) })})</Typography.Text>
        </span>
      ),
    },
    { title: t('committee'), dataIndex: 'committeeName', key: 'committee', ellipsis: true },
    {
      title: t('hukou'),
      dataIndex: 'hukou',
      key: 'hukou',
      width: 90,
      render: (v: string | null) => valueName(v, lang),
    },
    {
      title: t('disabilityGrade'),
      dataIndex: 'disabilityGrade',
      key: 'disability',
      width: 96,
      render: (v: number | null) => (v === null ? '—' : t('grade', { n: v })),
    },
    {
      title: t('phone'),
      dataIndex: 'phoneMasked',
      key: 'phone',
      width: 130,
      render: (v: string | null) => <span className="tj-mono">{v ?? '—'}</span>,
    },
    {
      title: t('household'),
      dataIndex: 'householdId',
      key: 'household',
      width: 110,
      render: (v: string) => (
        <Link to={`/households/${encodeURIComponent(v)}`} onClick={stop}>
          {v}
        </Link>
      ),
    },
  ];

  const onTableChange: TableProps<ResidentListItem>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = sorter as SorterResult<ResidentListItem>;
      const field =
        (SORT_FIELDS as readonly string[]).includes(String(s.columnKey)) && s.order
          ? (String(s.columnKey) as ResidentFilters['sort'])
          : null;
      update({ sort: field, order: field ? (s.order === 'descend' ? 'desc' : 'asc') : null });
    } else if (extra.action === 'paginate') {
      const pageSize = pagination.pageSize ?? filters.pageSize;
      update({ page: pageSize !== filters.pageSize ? 1 : (pagination.current ?? 1), pageSize });
    }
  };

  return (
    <div data-testid="residents-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('title')}</h1>
          <span className="tj-page-sub">{t('subtitle', { org: current.name })}</span>
        </div>
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={onExport}>
          {t('export')}
        </Button>
      </div>

      <div className="tj-filters" role="search">
        <Input
          style={{ width: 260 }}
          allowClear
          autoFocus
          maxLength={MAX_QUERY_LENGTH}
          prefix={<SearchOutlined aria-hidden />}
          placeholder={t('searchPlaceholder')}
          aria-label={t('searchLabel')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={() => {
            pushed.current = text.trim();
            update({ q: text }, true);
          }}
          data-testid="resident-search"
        />
        <InputNumber
          style={{ width: 104 }}
          min={0}
          max={150}
          precision={0}
          placeholder={t('ageMin')}
          aria-label={t('ageMin')}
          value={filters.ageMin}
          onChange={(v) => update({ ageMin: typeof v === 'number' ? v : null })}
        />
        <InputNumber
          style={{ width: 104 }}
          min={0}
          max={150}
          precision={0}
          placeholder={t('ageMax')}
          aria-label={t('ageMax')}
          value={filters.ageMax}
          onChange={(v) => update({ ageMax: typeof v === 'number' ? v : null })}
        />
        <Select
          style={{ width: 92 }}
          allowClear
          placeholder={t('gender')}
          aria-label={t('gender')}
          value={filters.gender ?? undefined}
          onChange={(v) => update({ gender: v ?? null })}
          options={GENDERS.map((g) => ({ value: g, label: valueName(g, lang) }))}
        />
        <Select
          style={{ width: 120 }}
          allowClear
          placeholder={t('hukou')}
          aria-label={t('hukou')}
          value={filters.hukou ?? undefined}
          onChange={(v) => update({ hukou: v ?? null })}
          options={HUKOU.map((h) => ({ value: h, label: valueName(h, lang) }))}
        />
        <Select
          style={{ width: 132 }}
          allowClear
          placeholder={t('disability')}
          aria-label={t('disability')}
          value={filters.disability ?? undefined}
          onChange={(v) => update({ disability: v ?? null })}
          options={[
            { value: 'any', label: t('disabilityAny') },
            { value: 'severe', label: t('disabilitySevere') },
            { value: 'none', label: t('disabilityNone') },
          ]}
        />
        <Select
          style={{ width: 196 }}
          allowClear
          placeholder={t('benefit')}
          aria-label={t('benefit')}
          value={filters.benefit ?? undefined}
          onChange={(v) => update({ benefit: v ?? null })}
          popupMatchSelectWidth={false}
          options={BENEFIT_CODES.map((c) => ({ value: c, label: benefitName(c, lang) }))}
        />
        {hasFilters(filters) && (
          <Button
            type="link"
            onClick={() =>
              update({
                ...DEFAULT_FILTERS,
                q: filters.q,
                sort: filters.sort,
                order: filters.order,
                pageSize: filters.pageSize,
              })
            }
          >
            {t('clearFilters')}
          </Button>
        )}
      </div>

      {error !== null && error !== undefined && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('listFailed')} error={error} onRetry={reload} />
        </div>
      )}

      <Table<ResidentListItem>
        rowKey="ref"
        size="middle"
        columns={columns}
        dataSource={data?.page.items ?? []}
        loading={loading}
        locale={{ emptyText: t('noResidents') }}
        onChange={onTableChange}
        onRow={(r) => ({ onClick: () => navigate(`/residents/${r.ref}`), className: 'tj-clickable-row' })}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES.map(String),
          showTotal: () =>
            data
              ? known !== null && !counted?.capped
                ? t('total', { n: formatNumber(known, lang) })
                : t('moreThan', { n: formatNumber(known ?? offset + data.page.items.length, lang) })
              : '',
        }}
        scroll={{ x: 1000 }}
        data-testid="residents-table"
      />
    </div>
  );
}
