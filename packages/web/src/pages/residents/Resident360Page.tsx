/**
 * 居民360: everything the registry holds about one person, with where each fact came from. The
 * only place that shows the full id number and phone. Opening it is audited by the server.
 */
import { HomeOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Empty, Row, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import type { ECElementEvent } from 'echarts/core';
import { useCallback, useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { residents } from '../../api/endpoints.ts';
import type { HistoryEntry, Relation, Resident360 } from '../../api/types.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { benefitName, valueName } from '../../app/terms.ts';
import { EChart } from '../../components/EChart.tsx';
import { EligibilityCard } from '../leads/EligibilityCard.tsx';
import { ageOn, fieldChanges, isActive } from './history.ts';
import { residentMessages } from './messages.ts';
import { buildRelationGraph, relationGraphOption, relativeKind, type NodeKind } from './relation-graph.ts';
import { BackButton, formatAt, LoadError, OrgBreadcrumb, ProvenanceText } from './shared.tsx';
import { ResidentTagsCard } from '../tags/ResidentTagsCard.tsx';
import { today } from '../../app/clock.ts';

export default function Resident360Page() {
  // The ref a list linked to; an id number typed into the address works too.
  const { idNumber: key = '' } = useParams();
  const t = useT(residentMessages);
  const { data, error, loading, reload } = useApi((signal) => residents.get(key, signal), [key]);
  const view = data && (data.person.ref === key || data.person.id_number === key.toUpperCase()) ? data : undefined;

  if (error && !loading) {
    return (
      <div data-testid="resident-360">
        <LoadError error={error} notFound={t('notFound')} onRetry={reload} />
      </div>
    );
  }
  if (!view)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 12 }} />
      </Card>
    );
  return <ResidentView view={view} />;
}

function ResidentView({ view }: { view: Resident360 }) {
  const t = useT(residentMessages);
  const { lang } = useI18n();
  const navigate = useNavigate();
  const { person, household } = view;
  const now = today();
  const money = (v: number | null) => (v === null ? '—' : t('yuan', { n: formatNumber(v, lang, 2) }));
  const v = (x: string | null) => valueName(x, lang);
  const activeBenefits = view.enrollments.filter((e) => isActive(e, now));

  const kindLabels: Record<NodeKind, string> = {
    self: t('kindSelf'),
    inArea: t('kindInArea'),
    notRegistered: t('kindNotRegistered'),
  };
  const graph = useMemo(
    () => buildRelationGraph({ ref: person.ref, name: person.name }, view.relations),
    [person, view.relations],
  );
  const graphOption = useMemo(
    () =>
      relationGraphOption(
        graph,
        { kinds: kindLabels, ableToSupport: t('ableToSupport'), notAbleToSupport: t('notAbleToSupport') },
        (r) => valueName(r, lang),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- labels follow the language
    [graph, lang],
  );
  const onGraphClick = useCallback(
    (e: ECElementEvent) => {
      const ref = e.dataType === 'node' ? (e.data as { ref?: string | null } | undefined)?.ref : undefined;
      if (ref) navigate(`/residents/${ref}`);
    },
    [navigate],
  );

  const disability =
    person.disability_grade === null
      ? '—'
      : `${t('grade', { n: person.disability_grade })}${person.disability_category ? ` · ${v(person.disability_category)}` : ''}`;

  return (
    <div data-testid="resident-360">
      <OrgBreadcrumb path={person.orgPath} last={person.name} />
      <div className="tj-page-header">
        <div>
          <h1 data-testid="resident-name">
            {person.name}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 15, fontWeight: 400 }}>
              {v(person.gender)} · {t('yearsOld', { n: ageOn(person.birth_date, now) })}
            </Typography.Text>
          </h1>
          <Space size={4} wrap style={{ marginTop: 4 }}>
            {person.hukou && <Tag>{v(person.hukou)}</Tag>}
            {person.disability_grade !== null && (
              <Tag color="purple">
                {t('disability')} {disability}
              </Tag>
            )}
            {person.chronic_illness === '是' && <Tag color="orange">{t('chronicIllness')}</Tag>}
            {activeBenefits.map((e) => (
              <Tag key={e.benefitCode + e.startDate} color="green">
                {benefitName(e.benefitCode, lang)}
              </Tag>
            ))}
            {view.identityTags.map((tag) => (
              <Tag key={tag.tag} color="blue">
                {tag.tag}
              </Tag>
            ))}
          </Space>
        </div>
        <BackButton />
      </div>

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={11}>
          <Card size="small" title={t('person')}>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              bordered
              styles={{ label: { width: lang === 'zh' ? 112 : 150 } }}
              items={[
                {
                  key: 'id',
                  label: t('idNumber'),
                  span: 2,
                  children: (
                    <span className="tj-mono" data-testid="full-id-number">
                      {person.id_number}
                    </span>
                  ),
                },
                {
                  key: 'phone',
                  label: t('phone'),
                  span: 2,
                  children: <span className="tj-mono">{person.phone ?? '—'}</span>,
                },
                { key: 'birth', label: t('birthDate'), children: person.birth_date },
                { key: 'hukou', label: t('hukou'), children: v(person.hukou) },
                { key: 'marital', label: t('maritalStatus'), children: v(person.marital_status) },
                { key: 'rel', label: t('relationToHead'), children: v(person.relation_to_head) },
                { key: 'dis', label: t('disability'), span: 2, children: disability },
                { key: 'income', label: t('monthlyIncome'), children: money(person.monthly_income_yuan) },
                { key: 'emp', label: t('employment'), children: v(person.employment) },
                { key: 'school', label: t('schoolStage'), children: v(person.school_stage) },
                { key: 'labor', label: t('laborCapacity'), children: v(person.labor_capacity) },
                { key: 'chronic', label: t('chronicIllness'), children: v(person.chronic_illness) },
                { key: 'oop', label: t('medicalOop'), children: money(person.medical_oop_12m_yuan) },
                { key: 'addr', label: t('address'), span: 2, children: household?.address ?? '—' },
                { key: 'area', label: t('area'), span: 2, children: person.orgPath.map((o) => o.name).join(' / ') },
                {
                  key: 'created',
                  label: t('createdBy'),
                  span: 2,
                  children: <ProvenanceText source={person.createdBy} />,
                },
                { key: 'updated', label: t('updatedAt'), span: 2, children: formatAt(person.updated_at) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={13}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <ResidentTagsCard residentRef={person.ref} />
            <Card
              size="small"
              title={t('members')}
              extra={
                <Link to={`/households/${encodeURIComponent(person.household_id)}`} data-testid="household-link">
                  <HomeOutlined /> {t('openHousehold', { id: person.household_id })}
                </Link>
              }
            >
              <Table
                size="small"
                rowKey="ref"
                pagination={false}
                dataSource={view.members}
                columns={[
                  {
                    title: t('name'),
                    dataIndex: 'name',
                    key: 'name',
                    render: (name: string, m) =>
                      m.isSelf ? (
                        <span>
                          <b>{name}</b> <Tag variant="filled">{t('self')}</Tag>
                        </span>
                      ) : (
                        <Link to={`/residents/${m.ref}`}>{name}</Link>
                      ),
                  },
                  {
                    title: t('relationToHead'),
                    dataIndex: 'relationToHead',
                    key: 'rel',
                    render: (x: string | null) => v(x),
                  },
                  { title: t('gender'), dataIndex: 'gender', key: 'gender', render: (x: string) => v(x) },
                  { title: t('birthDate'), dataIndex: 'birthDate', key: 'birth' },
                  {
                    title: t('idNumber'),
                    dataIndex: 'idNumberMasked',
                    key: 'id',
                    render: (x: string) => <span className="tj-mono">{x}</span>,
                  },
                ]}
              />
            </Card>
            <Card size="small" title={t('enrollments')}>
              {view.enrollments.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noEnrollments')} />
              ) : (
                <Timeline
                  style={{ marginTop: 8 }}
                  items={[...view.enrollments]
                    .sort((a, b) => b.startDate.localeCompare(a.startDate))
                    .map((e) => {
                      const active = isActive(e, now);
                      return {
                        key: `${e.benefitCode}:${e.startDate}`,
                        color: active ? 'green' : 'gray',
                        content: (
                          <div>
                            <div>
                              <b>{benefitName(e.benefitCode, lang)}</b>{' '}
                              <Tag color={active ? 'green' : 'default'} variant="filled">
                                {active ? t('active') : t('ended')}
                              </Tag>
                            </div>
                            <div>
                              {e.startDate} → {e.endDate ?? t('ongoing')}
                            </div>
                            <ProvenanceText source={e.source} />
                          </div>
                        ),
                      };
                    })}
                />
              )}
            </Card>
          </Space>
        </Col>

        <Col span={24}>
          <Card
            size="small"
            title={t('relations')}
            extra={
              graph.nodes.length > 1 ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('graphMarks')}　·　{t('graphHint')}
                </Typography.Text>
              ) : null
            }
          >
            {view.relations.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noRelations')} />
            ) : (
              <Row gutter={[16, 12]}>
                <Col xs={24} xl={11}>
                  <EChart
                    option={graphOption}
                    height={340}
                    onClick={onGraphClick}
                    testId="relation-graph"
                    label={`${t('relations')}：${view.relations.map((r) => `${r.relativeName ?? '—'}（${valueName(r.relation, lang)}）`).join('，')}`}
                  />
                </Col>
                <Col xs={24} xl={13}>
                  <RelationsTable relations={view.relations} kindLabels={kindLabels} />
                </Col>
              </Row>
            )}
          </Card>
        </Col>

        <Col span={24}>
          <EligibilityCard residentRef={person.ref} />
        </Col>

        <Col xs={24} xl={8}>
          <Card size="small" title={t('identityTags')} style={{ height: '100%' }}>
            {view.identityTags.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noTags')} />
            ) : (
              <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {view.identityTags.map((tag) => (
                  <li key={tag.tag} style={{ marginBottom: 8 }}>
                    <Tag color="blue">{tag.tag}</Tag>
                    <div>
                      <ProvenanceText source={tag.source} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('history')}>
            <HistoryTable history={view.history} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function RelationsTable({ relations, kindLabels }: { relations: Relation[]; kindLabels: Record<NodeKind, string> }) {
  const t = useT(residentMessages);
  const { lang } = useI18n();
  const kindColor: Record<string, string> = { inArea: 'green', notRegistered: 'default' };
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(r) => `${r.relation}:${r.relativeIdNumberMasked ?? ''}:${r.relativeName ?? ''}`}
      dataSource={relations}
      data-testid="relations-table"
      columns={[
        {
          title: t('relative'),
          key: 'name',
          render: (_: unknown, r: Relation) =>
            r.relativeRef ? (
              <Link to={`/residents/${r.relativeRef}`}>{r.relativeName ?? '—'}</Link>
            ) : (
              (r.relativeName ?? '—')
            ),
        },
        { title: t('relation'), dataIndex: 'relation', key: 'relation', render: (x: string) => valueName(x, lang) },
        {
          title: t('idNumber'),
          dataIndex: 'relativeIdNumberMasked',
          key: 'id',
          render: (x: string | null) => <span className="tj-mono">{x ?? '—'}</span>,
        },
        {
          title: t('support'),
          dataIndex: 'ableToSupport',
          key: 'support',
          render: (x: string | null) => valueName(x, lang),
        },
        {
          title: '',
          key: 'kind',
          render: (_: unknown, r: Relation) => {
            const k = relativeKind(r);
            return <Tag color={kindColor[k]}>{kindLabels[k]}</Tag>;
          },
        },
      ]}
    />
  );
}

function HistoryTable({ history }: { history: HistoryEntry[] }) {
  const t = useT(residentMessages);
  const { lang } = useI18n();
  if (history.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noHistory')} />;
  return (
    <Table
      size="small"
      rowKey={(h) => `${h.at}:${h.entity}:${JSON.stringify(h.changes)}`}
      dataSource={history}
      pagination={history.length > 10 ? { pageSize: 10, size: 'small' } : false}
      data-testid="history-table"
      columns={[
        { title: t('at'), dataIndex: 'at', key: 'at', width: 140, render: (x: string) => formatAt(x) },
        { title: t('actor'), dataIndex: 'actor', key: 'actor', width: 100 },
        { title: t('source'), dataIndex: 'source', key: 'source', width: 160, ellipsis: true },
        {
          title: t('entity'),
          dataIndex: 'entity',
          key: 'entity',
          width: 70,
          render: (x: string) =>
            x === 'household' ? t('entityHousehold') : x === 'resident' ? t('entityResident') : x,
        },
        {
          title: t('changes'),
          key: 'changes',
          render: (_: unknown, h: HistoryEntry) =>
            fieldChanges(h).map((c) => (
              <span key={c.field} className="tj-change">
                <span className="tj-mono">{c.field}</span>：
                <span className="tj-change-old">{valueName(c.before, lang)}</span> →{' '}
                <span className="tj-change-new">{valueName(c.after, lang)}</span>
              </span>
            )),
        },
      ]}
    />
  );
}
