/**
 * 审计日志 (district administrators): the trail of the area, newest first, paged on the server,
 * with filters and "who looked at this person"; a button checks the hash chain and its signed
 * checkpoints. Looking is itself audited, by the server.
 */
import { SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Input, Select, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber, translate } from '../../app/i18n.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { auditLog, type AuditEventView, type AuditVerification } from './audit-api.ts';
import {
  actionChoices,
  actionLabel,
  DEFAULT_FILTERS,
  detailLine,
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  ID_NUMBER,
  listQuery,
  PAGE_SIZES,
  targetLink,
  type AuditFilters,
} from './filters.ts';
import { auditMessages } from './messages.ts';
import './audit.css';

export default function AuditPage() {
  const t = useT(auditMessages);
  const { lang } = useI18n();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const update = useCallback(
    (patch: Partial<AuditFilters>) => {
      setSearch(filtersToSearch({ ...filters, ...patch, page: patch.page ?? 1 }));
    },
    [filters, setSearch],
  );

  // Later pages stay on the list the first page showed: reading the log adds events at its top.
  const pinned = useRef<{ key: string; maxId: number | null }>({ key: '', maxId: null });
  const listKey = JSON.stringify({ ...filters, page: 0 });
  if (pinned.current.key !== listKey) pinned.current = { key: listKey, maxId: null };
  const query = listQuery(filters, pinned.current.maxId);
  const { data, error, loading, reload } = useApi((signal) => auditLog.list(query, signal), [JSON.stringify(query)]);
  if (data && filters.page === 1 && pinned.current.key === listKey) pinned.current.maxId = data.items[0]?.id ?? null;

  const [person, setPerson] = useState(filters.idNumber);
  const [personError, setPersonError] = useState<string | null>(null);
  useEffect(() => setPerson(filters.idNumber), [filters.idNumber]);
  const showPerson = (value: string) => {
    const v = value.trim();
    if (v === '') {
      setPersonError(null);
      update({ idNumber: '' });
      return;
    }
    if (!ID_NUMBER.test(v)) {
      setPersonError(t('personInvalid'));
      return;
    }
    setPersonError(null);
    update({ idNumber: v.toUpperCase() });
  };

  const [actor, setActor] = useState(filters.actor);
  const [target, setTarget] = useState(filters.target);
  useEffect(() => setActor(filters.actor), [filters.actor]);
  useEffect(() => setTarget(filters.target), [filters.target]);

  const [checking, setChecking] = useState(false);
  const [check, setCheck] = useState<{ result?: AuditVerification; error?: unknown } | null>(null);
  const verify = async () => {
    setChecking(true);
    try {
      setCheck({ result: await auditLog.verify() });
    } catch (e) {
      setCheck({ error: e });
    } finally {
      setChecking(false);
    }
  };

  const columns: TableProps<AuditEventView>['columns'] = [
    {
      title: t('at'),
      dataIndex: 'at',
      key: 'at',
      width: 172,
      render: (v: string) => <span className="tj-mono audit-time">{dayjs(v).format('YYYY-MM-DD HH:mm:ss')}</span>,
    },
    {
      title: t('actor'),
      key: 'actor',
      width: 200,
      render: (_: unknown, e) => (
        <div className="audit-actor">
          <span>
            {e.actorName ?? (e.actor === 'system' ? t('system') : e.actor)}{' '}
            {e.actorName !== null && <span className="tj-mono audit-muted">{e.actor}</span>}
          </span>
          <span className="audit-muted">
            {e.actorOrgName ?? (e.actorName === null && e.actor !== 'system' ? t('noAccount') : '')}
          </span>
        </div>
      ),
    },
    {
      title: t('action'),
      dataIndex: 'action',
      key: 'action',
      width: 170,
      render: (v: string) => {
        const known = actionLabel(v);
        const color =
          v === 'access.denied' || v.startsWith('login.') ? 'red' : v.startsWith('audit.') ? 'purple' : undefined;
        return (
          <Tooltip title={v}>
            <Tag color={color} className="audit-action">
              {known ? translate(known, lang) : v}
            </Tag>
          </Tooltip>
        );
      },
    },
    {
      title: t('target'),
      dataIndex: 'target',
      key: 'target',
      width: 256,
      ellipsis: true,
      render: (v: string) => {
        const link = targetLink(v);
        return <span className="tj-mono">{link ? <Link to={link}>{v}</Link> : v}</span>;
      },
    },
    {
      title: t('detail'),
      dataIndex: 'detail',
      key: 'detail',
      ellipsis: true,
      render: (v: unknown) => (
        <Typography.Text type="secondary" className="tj-mono audit-detail">
          {detailLine(v)}
        </Typography.Text>
      ),
    },
  ];

  const choices = useMemo(() => actionChoices(lang), [lang]);
  const problems = check?.result?.problems ?? [];

  return (
    <div data-testid="audit-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('title')}</h1>
          <span className="tj-page-sub">{t('subtitle')}</span>
        </div>
        <Button icon={<SafetyCertificateOutlined />} loading={checking} onClick={verify} data-testid="audit-verify">
          {t('verify')}
        </Button>
      </div>

      {check?.error !== undefined && (
        <div className="audit-block">
          <ErrorAlert title={t('verifyFailed')} error={check.error} onRetry={verify} />
        </div>
      )}
      {check?.result && (
        <Alert
          className="audit-block"
          type={check.result.ok ? 'success' : 'error'}
          showIcon
          closable
          onClose={() => setCheck(null)}
          data-testid="audit-verification"
          title={check.result.ok ? check.result.summary : `${t('broken')}：${check.result.problems[0]?.message ?? ''}`}
          description={
            check.result.ok ? (
              check.result.lastCheckpoint ? (
                <span className="tj-mono audit-muted">
                  #{check.result.lastCheckpoint.id} → id={check.result.lastCheckpoint.lastAuditId} ·{' '}
                  {check.result.lastCheckpoint.hash}
                </span>
              ) : undefined
            ) : (
              <ul className="audit-problems">
                {problems.slice(1, 5).map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
                {check.result.problemCount > 5 && <li>{t('moreProblems', { n: check.result.problemCount - 5 })}</li>}
              </ul>
            )
          }
        />
      )}

      <Card size="small" className="audit-block audit-person">
        <div className="audit-person-row">
          <Input.Search
            className="audit-person-input"
            allowClear
            maxLength={18}
            prefix={<UserOutlined aria-hidden />}
            placeholder={t('personLabel')}
            aria-label={t('personLabel')}
            enterButton={t('personButton')}
            value={person}
            onChange={(e) => {
              setPerson(e.target.value);
              if (e.target.value === '') showPerson('');
            }}
            onSearch={showPerson}
            status={personError ? 'error' : undefined}
            data-testid="audit-person"
          />
          <span className="audit-muted">{personError ?? t('personHint')}</span>
        </div>
        {filters.idNumber && data && (
          <Alert
            className="audit-person-result"
            type="info"
            showIcon
            data-testid="audit-person-result"
            title={t('personShowing', { id: filters.idNumber, n: formatNumber(data.total, lang) })}
            action={
              <Button size="small" onClick={() => update({ idNumber: '' })}>
                {t('clearPerson')}
              </Button>
            }
          />
        )}
      </Card>

      <div className="tj-filters" role="search">
        <Input
          style={{ width: 150 }}
          allowClear
          placeholder={t('actorPlaceholder')}
          aria-label={t('actor')}
          addonBefore={t('actor')}
          value={actor}
          onChange={(e) => {
            setActor(e.target.value);
            if (e.target.value === '') update({ actor: '' });
          }}
          onPressEnter={() => update({ actor: actor.trim() })}
          onBlur={() => actor.trim() !== filters.actor && update({ actor: actor.trim() })}
        />
        <Select
          style={{ width: 250 }}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('action')}
          aria-label={t('action')}
          value={filters.action || undefined}
          onChange={(v?: string) => update({ action: v ?? '' })}
          options={choices}
          popupMatchSelectWidth={false}
          data-testid="audit-action"
        />
        <Input
          style={{ width: 220 }}
          allowClear
          placeholder={t('targetPlaceholder')}
          aria-label={t('target')}
          value={target}
          onChange={(e) => {
            setTarget(e.target.value);
            if (e.target.value === '') update({ target: '' });
          }}
          onPressEnter={() => update({ target: target.trim() })}
          onBlur={() => target.trim() !== filters.target && update({ target: target.trim() })}
        />
        <DatePicker.RangePicker
          style={{ width: 250 }}
          allowEmpty={[true, true]}
          placeholder={[t('dateFrom'), t('dateTo')]}
          value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
          onChange={(v) =>
            update({ from: v?.[0]?.format('YYYY-MM-DD') ?? null, to: v?.[1]?.format('YYYY-MM-DD') ?? null })
          }
        />
        {hasFilters(filters) && (
          <Button type="link" onClick={() => update({ ...DEFAULT_FILTERS, pageSize: filters.pageSize })}>
            {t('clearFilters')}
          </Button>
        )}
      </div>

      {error !== null && error !== undefined && (
        <div className="audit-block">
          <ErrorAlert title={t('loadFailed')} error={error} onRetry={reload} />
        </div>
      )}

      <Table<AuditEventView>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        locale={{ emptyText: t('empty') }}
        tableLayout="fixed"
        scroll={{ x: 1020 }}
        data-testid="audit-table"
        expandable={{
          expandedRowRender: (e) => <pre className="audit-json">{JSON.stringify(e.detail, null, 2)}</pre>,
          rowExpandable: (e) => detailLine(e.detail) !== '',
        }}
        onChange={(pagination, _f, _s, extra) => {
          if (extra.action !== 'paginate') return;
          const pageSize = pagination.pageSize ?? filters.pageSize;
          update({ page: pageSize !== filters.pageSize ? 1 : (pagination.current ?? 1), pageSize });
        }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES.map(String),
          showTotal: (n) => t('total', { n: formatNumber(n, lang) }),
        }}
      />
    </div>
  );
}
