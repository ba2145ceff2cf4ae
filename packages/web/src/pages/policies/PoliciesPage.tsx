/**
 * 政策库: the policy pack the leads are found with, as it stands on a date: each policy's legal
 * source, issuer, period, rule (its conditions in the pack's plain words, the code behind a switch)
 * and amount formula, the policies it depends on, and the parameters with every dated value and
 * its source. Workers check here what a rule says before telling a resident why.
 */
import {
  Card,
  Col,
  DatePicker,
  Descriptions,
  Row,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { policies as policiesApi, type ParameterView, type PolicyView } from '../../api/policies.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { isDate } from '../leads/filters.ts';
import { policyName } from '../leads/trace.ts';
import { LocalPoliciesPanel } from './LocalPoliciesPanel.tsx';
import { policyMessages } from './messages.ts';
import { inForceIndex, parametersOf, policyInForce } from './pack.ts';

export default function PoliciesPage() {
  const t = useT(policyMessages);
  const { lang } = useI18n();
  const [search, setSearch] = useSearchParams();
  const raw = search.get('asOf');
  const asOf = isDate(raw) ? raw : undefined;
  const { data, error, loading, reload } = useApi((signal) => policiesApi.pack(asOf, signal), [asOf]);
  const names = useMemo(
    () => new Map((data?.policies ?? []).map((p) => [p.code, policyName(p.code, p.name, lang)])),
    [data, lang],
  );
  const [showCode, setShowCode] = useState(false);

  return (
    <div data-testid="policies-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('title')}</h1>
          {data && (
            <span className="tj-page-sub">
              {t('subtitle', { pack: data.name, version: data.version, date: data.asOf })}
            </span>
          )}
        </div>
        <Space size={16} wrap>
          <Tooltip title={t('showCodeHint')}>
            <label style={{ display: 'inline-flex', alignItems: 'center', gap: 6, cursor: 'pointer' }}>
              <Switch
                size="small"
                checked={showCode}
                onChange={setShowCode}
                aria-label={t('showCode')}
                data-testid="show-rule-code"
              />
              <span>{t('showCode')}</span>
            </label>
          </Tooltip>
          <Tooltip title={t('asOfHint')}>
            <DatePicker
              allowClear
              placeholder={t('asOf')}
              aria-label={t('asOf')}
              value={asOf ? dayjs(asOf) : null}
              onChange={(d) => setSearch(d ? { asOf: d.format('YYYY-MM-DD') } : {}, { replace: true })}
            />
          </Tooltip>
        </Space>
      </div>

      {error !== null && error !== undefined && !loading && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('loadFailed')} error={error} onRetry={reload} />
        </div>
      )}
      {!data ? (
        <Card>
          <Skeleton active={loading} paragraph={{ rows: 12 }} />
        </Card>
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <LocalPoliciesPanel asOf={asOf} />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('policies', { n: data.policies.length })}
          </Typography.Title>
          <Row gutter={[12, 12]}>
            {data.policies.map((p) => (
              <Col key={p.code} xs={24} xxl={12}>
                <PolicyCard
                  policy={p}
                  asOf={data.asOf}
                  names={names}
                  parameters={data.parameters}
                  showCode={showCode}
                />
              </Col>
            ))}
          </Row>
          <Card
            size="small"
            id="parameters"
            title={t('parameters')}
            data-testid="parameters"
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('parametersHint')}
              </Typography.Text>
            }
          >
            <ParametersTable parameters={data.parameters} asOf={data.asOf} />
          </Card>
        </Space>
      )}
    </div>
  );
}

function PolicyCard({
  policy: p,
  asOf,
  names,
  parameters,
  showCode,
}: {
  policy: PolicyView;
  asOf: string;
  names: Map<string, string>;
  parameters: ParameterView[];
  showCode: boolean;
}) {
  const t = useT(policyMessages);
  const { lang } = useI18n();
  const inForce = policyInForce(p, asOf);
  const used = parametersOf(p, parameters);
  const period = p.effectiveTo
    ? t('effectiveRange', { from: p.effectiveFrom, to: p.effectiveTo })
    : t('effectiveOpen', { from: p.effectiveFrom });
  return (
    <Card
      size="small"
      data-testid={`policy-${p.code}`}
      style={{ height: '100%' }}
      title={
        <span>
          {policyName(p.code, p.name, lang)}{' '}
          <Tag className="tj-mono" style={{ marginLeft: 4 }}>
            {p.code}
          </Tag>
        </span>
      }
      extra={!inForce && <Tag color="default">{t('notInForce')}</Tag>}
    >
      <Descriptions
        size="small"
        column={1}
        bordered
        styles={{ label: { width: lang === 'zh' ? 104 : 130 } }}
        items={[
          { key: 'source', label: t('legalSource'), children: p.source },
          {
            key: 'owner',
            label: t('owner'),
            children: (
              <span>
                {p.ownerName}{' '}
                <Typography.Text type="secondary" className="tj-mono">
                  {p.owner}
                </Typography.Text>
              </span>
            ),
          },
          { key: 'effective', label: t('effective'), children: period },
          { key: 'rule', label: t('rule'), children: <Conditions policy={p} showCode={showCode} /> },
          {
            key: 'amount',
            label: t('amount'),
            children: p.amount ? (
              <code className="tj-mono">{p.amount}</code>
            ) : (
              <Typography.Text type="secondary">{t('noAmount')}</Typography.Text>
            ),
          },
          {
            key: 'depends',
            label: t('dependsOn'),
            children:
              p.dependsOn.length === 0 ? (
                <Typography.Text type="secondary">{t('none')}</Typography.Text>
              ) : (
                <Space size={4} wrap>
                  {p.dependsOn.map((d) => (
                    <Tag key={d} color="blue">
                      {names.get(d) ?? d}
                    </Tag>
                  ))}
                </Space>
              ),
          },
          {
            key: 'params',
            label: t('usesParameters'),
            children:
              used.length === 0 ? (
                <Typography.Text type="secondary">{t('none')}</Typography.Text>
              ) : (
                <Space size={4} wrap>
                  {used.map((name) => {
                    const param = parameters.find((x) => x.name === name);
                    return (
                      <a key={name} href="#parameters">
                        <Tag className="tj-mono">
                          {name}
                          {param && param.current !== null ? ` = ${formatNumber(param.current, lang, 2)}` : ''}
                        </Tag>
                      </a>
                    );
                  })}
                </Space>
              ),
          },
          ...(p.howToApply ? [{ key: 'apply', label: t('howToApply'), children: p.howToApply }] : []),
        ]}
      />
    </Card>
  );
}

/** A rule as its conditions, all of which must hold: each in the pack's words, its code under it when asked. */
function Conditions({ policy: p, showCode }: { policy: PolicyView; showCode: boolean }) {
  const t = useT(policyMessages);
  return (
    <div data-testid={`conditions-${p.code}`}>
      {p.conditions.length > 1 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('ruleHint')}
        </Typography.Text>
      )}
      <ol style={{ margin: '2px 0 0', paddingLeft: 20 }}>
        {p.conditions.map((c, i) => (
          <li key={i}>
            {c.label}
            {showCode && (
              <div>
                <code className="tj-mono" style={{ fontSize: 12.5, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {c.text}
                </code>
              </div>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

function ParametersTable({ parameters, asOf }: { parameters: ParameterView[]; asOf: string }) {
  const t = useT(policyMessages);
  const { lang } = useI18n();
  return (
    <Table<ParameterView>
      size="small"
      rowKey="name"
      pagination={false}
      dataSource={parameters}
      scroll={{ x: 900 }}
      data-testid="pack-parameters"
      columns={[
        {
          title: t('paramName'),
          dataIndex: 'name',
          key: 'name',
          width: 190,
          render: (v: string) => <span className="tj-mono">{v}</span>,
        },
        { title: t('paramLabel'), dataIndex: 'label', key: 'label', width: 220 },
        { title: t('unit'), dataIndex: 'unit', key: 'unit', width: 90, render: (v: string | null) => v ?? '—' },
        {
          title: t('current'),
          dataIndex: 'current',
          key: 'current',
          width: 100,
          align: 'right',
          render: (v: number | null) =>
            v === null ? (
              <Typography.Text type="secondary">{t('notYet')}</Typography.Text>
            ) : (
              <b>{formatNumber(v, lang, 2)}</b>
            ),
        },
        {
          title: t('values'),
          key: 'values',
          render: (_: unknown, p) => {
            const active = inForceIndex(p.values, asOf);
            return (
              <ul style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
                {p.values.map((v, i) => (
                  <li key={v.from} style={{ color: i === active ? undefined : '#6b7785' }}>
                    <span className="tj-mono">{v.from}</span> · <b>{formatNumber(v.value, lang, 2)}</b> · {v.source}
                    {i === active && (
                      <Tag color="green" variant="filled" style={{ marginLeft: 6 }}>
                        {t('inForceTag')}
                      </Tag>
                    )}
                  </li>
                ))}
              </ul>
            );
          },
        },
      ]}
    />
  );
}
