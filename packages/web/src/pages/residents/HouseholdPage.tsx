/** A household: address and housing, its members (masked, as in lists) and its per-capita figures. */
import { Card, Col, Descriptions, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { households } from '../../api/endpoints.ts';
import type { ResidentListItem } from '../../api/types.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { valueName } from '../../app/terms.ts';
import { ageOn } from './history.ts';
import { residentMessages } from './messages.ts';
import { BackButton, formatAt, LoadError, OrgBreadcrumb } from './shared.tsx';
import { today } from '../../app/clock.ts';
import { HouseholdAssessmentCard } from '../assessment/HouseholdAssessmentCard.tsx';

export default function HouseholdPage() {
  const { householdId = '' } = useParams();
  const t = useT(residentMessages);
  const { lang } = useI18n();
  const { data, error, loading, reload } = useApi((signal) => households.get(householdId, signal), [householdId]);
  const view = data && data.household.household_id === householdId ? data : undefined;

  if (error && !loading)
    return (
      <div data-testid="household-page">
        <LoadError error={error} notFound={t('householdNotFound')} onRetry={reload} />
      </div>
    );
  if (!view)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );

  const { household: h, figures: f } = view;
  const money = (v: number | null, digits = 2) => (v === null ? '—' : t('yuan', { n: formatNumber(v, lang, digits) }));
  const area = (v: number | null) => (v === null ? '—' : t('m2', { n: formatNumber(v, lang, 1) }));
  const now = today();
  const figures = [
    { key: 'members', title: t('memberCount'), value: formatNumber(f.members, lang) },
    { key: 'income', title: t('householdIncome'), value: money(f.monthlyIncomeYuan) },
    { key: 'pcIncome', title: t('perCapitaIncome'), value: money(f.perCapitaMonthlyIncomeYuan) },
    { key: 'pcAssets', title: t('perCapitaAssets'), value: money(f.perCapitaAssetsYuan) },
    { key: 'pcArea', title: t('perCapitaArea'), value: area(f.perCapitaAreaM2) },
    { key: 'oop', title: t('medicalOopTotal'), value: money(f.medicalOop12mYuan) },
  ];

  return (
    <div data-testid="household-page">
      <OrgBreadcrumb path={view.orgPath} last={h.household_id} />
      <div className="tj-page-header">
        <div>
          <h1>{t('householdTitle', { id: h.household_id })}</h1>
          <span className="tj-page-sub">{h.address ?? '—'}</span>
        </div>
        <BackButton />
      </div>
      <Row gutter={[12, 12]}>
        {figures.map((x) => (
          <Col key={x.key} xs={12} md={8} xl={4}>
            <Card size="small" className="tj-stat-card">
              <Statistic title={x.title} value={x.value} />
            </Card>
          </Col>
        ))}
        <Col xs={24} xl={9}>
          <Card size="small" title={t('household')}>
            <Descriptions
              size="small"
              column={1}
              bordered
              items={[
                { key: 'id', label: t('household'), children: h.household_id },
                { key: 'addr', label: t('address'), children: h.address ?? '—' },
                { key: 'area', label: t('area'), children: view.orgPath.map((o) => o.name).join(' / ') },
                { key: 'type', label: t('housingType'), children: valueName(h.housing_type, lang) },
                { key: 'm2', label: t('housingArea'), children: area(h.housing_area_m2) },
                { key: 'assets', label: t('financialAssets'), children: money(h.financial_assets_yuan, 0) },
                { key: 'updated', label: t('updatedAt'), children: formatAt(h.updated_at) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('members')}>
            <Table<ResidentListItem>
              size="small"
              rowKey="ref"
              pagination={false}
              dataSource={view.members}
              data-testid="household-members"
              columns={[
                {
                  title: t('name'),
                  dataIndex: 'name',
                  key: 'name',
                  render: (name: string, m) => <Link to={`/residents/${m.ref}`}>{name}</Link>,
                },
                {
                  title: t('idNumber'),
                  dataIndex: 'idNumberMasked',
                  key: 'id',
                  render: (x: string) => <span className="tj-mono">{x}</span>,
                },
                { title: t('gender'), dataIndex: 'gender', key: 'gender', render: (x: string) => valueName(x, lang) },
                {
                  title: t('birthDate'),
                  dataIndex: 'birthDate',
                  key: 'birth',
                  render: (x: string) => (
                    <span>
                      {x} <Typography.Text type="secondary">({t('yearsOld', { n: ageOn(x, now) })})</Typography.Text>
                    </span>
                  ),
                },
                {
                  title: t('hukou'),
                  dataIndex: 'hukou',
                  key: 'hukou',
                  render: (x: string | null) => valueName(x, lang),
                },
                {
                  title: t('disabilityGrade'),
                  dataIndex: 'disabilityGrade',
                  key: 'dis',
                  render: (x: number | null) => (x === null ? '—' : t('grade', { n: x })),
                },
                {
                  title: t('phone'),
                  dataIndex: 'phoneMasked',
                  key: 'phone',
                  render: (x: string | null) => <span className="tj-mono">{x ?? '—'}</span>,
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={24}>
          <HouseholdAssessmentCard householdId={h.household_id} />
        </Col>
      </Row>
    </div>
  );
}
