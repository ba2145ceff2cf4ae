/**
 * 待主动发现 / 待复核: the residents the policy rules find eligible but not receiving (leads) and
 * receiving but no longer eligible (reviews), in the current area, with server-side paging. Each
 * row opens "为什么": the reasons, the follow-up and its history. Lists show masked id numbers only.
 */
import { DownloadOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { LEAD_STATUSES, reachOf } from '@tingjian/engine/browser';
import {
  App as AntdApp,
  Button,
  Checkbox,
  DatePicker,
  InputNumber,
  Select,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
  type TableProps,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { leads, localPolicies, type FindingKind, type LeadRow } from '../../api/policies.ts';
import { saveBlob } from '../../api/download.ts';
import { useApi } from '../../api/useApi.ts';
import { today } from '../../app/clock.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { useOrg } from '../../app/OrgProvider.tsx';
import { useUser } from '../../app/SessionProvider.tsx';
import { BENEFIT_CODES, benefitName } from '../../app/terms.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  CLEARED,
  exportQuery,
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  listQuery,
  PAGE_SIZES,
  type LeadFilters,
} from './filters.ts';
import { LeadDrawer } from './LeadDrawer.tsx';
import { leadMessages } from './messages.ts';
import { policyName } from './trace.ts';
import { STATUS_COLOR, statusName } from './workflow.ts';
import './leads.css';

const rowKey = (r: Pick<LeadRow, 'ref' | 'policy' | 'kind'>) => `${r.ref}|${r.policy}|${r.kind}`;

export default function LeadsPage() {
  const t = useT(leadMessages);
  const { lang } = useI18n();
  const user = useUser();
  const { message } = AntdApp.useApp();
  const { currentCode, current } = useOrg();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);

  const update = useCallback(
    (patch: Partial<LeadFilters>, replace = false) => {
      // The URL as it is now, not the last render's filters: the router renders a navigation in a
      // transition, and a second quick change (a tab, then "clear filters") would undo the first.
      const latest = filtersFromSearch(new URLSearchParams(window.location.search));
      // Any change but paging itself starts again at page 1.
      setSearch(filtersToSearch({ ...latest, ...patch, page: patch.page ?? 1 }), { replace });
    },
    [setSearch],
  );

  // A new area starts at page 1.
  const firstOrg = useRef(currentCode);
  useEffect(() => {
    if (firstOrg.current !== currentCode) {
      firstOrg.current = currentCode;
      if (filters.page !== 1) update({}, true);
    }
  }, [currentCode, filters.page, update]);

  const query = listQuery(filters, currentCode);
  const { data, error, loading, reload } = useApi((signal) => leads.list(query, signal), [JSON.stringify(query)]);
  // Local policies in effect (a district's or street's own) join the reference benefits in the filter.
  const locals = useApi((signal) => localPolicies.list(signal), []);
  const policyOptions = useMemo(
    () => [
      ...BENEFIT_CODES.map((c) => ({ value: c as string, label: benefitName(c, lang) })),
      ...(locals.data?.items ?? [])
        .filter((p) => p.inEffectVersion !== null)
        .map((p) => ({ value: p.code, label: `${p.latest.name}（${p.ownerName}）` })),
    ],
    [locals.data, lang],
  );
  const [selected, setSelected] = useState<LeadRow | null>(null);

  const [exporting, setExporting] = useState(false);
  const onExport = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await leads.export(exportQuery(filters, currentCode));
      const name = filename ?? `${filters.kind}s-${filters.asOf ?? today()}.xlsx`;
      saveBlob(blob, name);
      message.success(t('exported', { file: name }));
    } catch (e) {
      message.error(`${t('exportFailed')}：${errorMessage(e)}`);
    } finally {
      setExporting(false);
    }
  };

  const stop = (e: MouseEvent) => e.stopPropagation();
  const isLead = filters.kind === 'lead';

  const columns: TableProps<LeadRow>['columns'] = [
    {
      title: t('name'),
      dataIndex: 'name',
      key: 'name',
      width: 120,
      fixed: 'left',
      render: (name: string, r) => (
        <span>
          <Link to={`/residents/${r.ref}`} onClick={stop}>
            {name}
          </Link>
          {r.newToday && (
            <Tag color="magenta" className="tj-new-badge" variant="filled">
              {t('newToday')}
            </Tag>
          )}
        </span>
      ),
    },
    {
      title: t('idNumber'),
      dataIndex: 'idNumberMasked',
      key: 'id',
      width: 190,
      render: (v: string) => <span className="tj-mono">{v}</span>,
    },
    { title: t('age'), dataIndex: 'age', key: 'age', width: 70, render: (v: number) => t('yearsOld', { n: v }) },
    { title: t('committee'), dataIndex: 'committeeName', key: 'committee', ellipsis: true },
    {
      title: t('policy'),
      dataIndex: 'policy',
      key: 'policy',
      width: 170,
      render: (code: string, r) => policyName(code, r.policyName, lang),
    },
    ...(isLead
      ? [
          {
            title: t('amount'),
            dataIndex: 'monthlyAmountYuan',
            key: 'amount',
            width: 120,
            align: 'right' as const,
            render: (v: number | null) => (v === null ? '—' : t('perMonth', { n: formatNumber(v, lang, 2) })),
          },
        ]
      : []),
    {
      title: t('status'),
      dataIndex: 'status',
      key: 'status',
      width: 120,
      render: (s: LeadRow['status'], r) => (
        <Tag color={STATUS_COLOR[s]}>{lang === 'zh' ? r.statusLabel : statusName(s, lang)}</Tag>
      ),
    },
    {
      title: t('assignee'),
      dataIndex: 'assignee',
      key: 'assignee',
      width: 120,
      ellipsis: true,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: '',
      key: 'why',
      width: 96,
      fixed: 'right',
      render: (_: unknown, r) => (
        <Button
          size="small"
          icon={<QuestionCircleOutlined />}
          aria-label={t('whyLabel', { name: r.name })}
          onClick={(e) => {
            e.stopPropagation();
            setSelected(r);
          }}
          data-testid="why-button"
        >
          {t('why')}
        </Button>
      ),
    },
  ];

  const onTableChange: TableProps<LeadRow>['onChange'] = (pagination, _filters, _sorter, extra) => {
    if (extra.action !== 'paginate') return;
    const pageSize = pagination.pageSize ?? filters.pageSize;
    update({ page: pageSize !== filters.pageSize ? 1 : (pagination.current ?? 1), pageSize });
  };

  const date = data?.asOf ?? filters.asOf ?? today();
  const tab = (kind: FindingKind) => (
    <Tooltip title={kind === 'lead' ? t('tabLeadsHint') : t('tabReviewsHint')}>
      <span>{kind === 'lead' ? t('tabLeads') : t('tabReviews')}</span>
    </Tooltip>
  );

  return (
    <div data-testid="leads-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('title')}</h1>
          <span className="tj-page-sub">{t('subtitle', { org: current.name, date })}</span>
        </div>
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={onExport}>
          {t('export')}
        </Button>
      </div>

      <Tabs
        activeKey={filters.kind}
        onChange={(k) => update({ kind: k as FindingKind, status: null })}
        data-testid="leads-tabs"
        items={[
          { key: 'lead', label: tab('lead') },
          { key: 'review', label: tab('review') },
        ]}
      />

      <div className="tj-filters" role="search">
        <Select
          style={{ width: 196 }}
          allowClear
          placeholder={t('policy')}
          aria-label={t('policy')}
          value={filters.policy ?? undefined}
          onChange={(v) => update({ policy: v ?? null })}
          popupMatchSelectWidth={false}
          data-testid="policy-filter"
          options={policyOptions}
        />
        <Select
          style={{ width: 140 }}
          allowClear
          placeholder={t('status')}
          aria-label={t('status')}
          value={filters.status ?? undefined}
          onChange={(v) => update({ status: v ?? null })}
          popupMatchSelectWidth={false}
          options={LEAD_STATUSES.map((s) => ({ value: s, label: statusName(s, lang) }))}
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
        <Tooltip title={t('newTodayHint')}>
          <Checkbox checked={filters.newToday} onChange={(e) => update({ newToday: e.target.checked })}>
            {t('newToday')}
          </Checkbox>
        </Tooltip>
        {/* An adviser works the leads assigned to them (their reach in lead.update is their own). */}
        {reachOf(user.role, 'lead.update') === 'self' && (
          <Checkbox
            checked={filters.assignee === user.username}
            onChange={(e) => update({ assignee: e.target.checked ? user.username : null })}
          >
            {t('mine')}
          </Checkbox>
        )}
        <Tooltip title={t('asOfHint')}>
          <DatePicker
            allowClear
            placeholder={t('asOf')}
            aria-label={t('asOf')}
            data-testid="as-of"
            value={filters.asOf ? dayjs(filters.asOf) : null}
            onChange={(d) => update({ asOf: d ? d.format('YYYY-MM-DD') : null })}
          />
        </Tooltip>
        {hasFilters(filters) && (
          <Button type="link" onClick={() => update(CLEARED)}>
            {t('clearFilters')}
          </Button>
        )}
      </div>

      {error !== null && error !== undefined && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('listFailed')} error={error} onRetry={reload} />
        </div>
      )}

      <Table<LeadRow>
        rowKey={rowKey}
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        locale={{ emptyText: isLead ? t('noLeads') : t('noReviews') }}
        onChange={onTableChange}
        onRow={(r) => ({ onClick: () => setSelected(r), className: 'tj-clickable-row' })}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES.map(String),
          showTotal: (n) => (data ? t('total', { n: formatNumber(n, lang) }) : ''),
        }}
        scroll={{ x: 1100 }}
        data-testid="leads-table"
      />
      {!loading && data && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
          {isLead ? t('tabLeadsHint') : t('tabReviewsHint')}
        </Typography.Paragraph>
      )}

      <LeadDrawer
        row={selected}
        asOf={filters.asOf ?? undefined}
        onClose={() => setSelected(null)}
        onChanged={(next) => {
          setSelected(next);
          reload();
        }}
      />
    </div>
  );
}
