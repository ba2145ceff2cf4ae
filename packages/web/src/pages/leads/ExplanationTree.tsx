/**
 * Why a person is (or is not) eligible for one policy: each condition of the rule in the pack's
 * plain words (its label) with ✓ / ✗ / ?, the facts it read with their values, the parameters it
 * used with their legal sources, and the facts that were missing. The rule code behind each
 * condition, with the parts of an "any of", is one switch away (显示规则代码). Used by the
 * worklist's drawer and by the resident 360 view, so a worker sees the same reasons in both places.
 */
import { Alert, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Outcome, PolicyExplanationView, TraceNode } from '../../api/policies.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { leadMessages } from './messages.ts';
import {
  conditionsOf,
  factLabel,
  factsUnder,
  factValue,
  nodeKey,
  nodeKind,
  OUTCOME_MARK,
  outcomeCounts,
  parametersIn,
} from './trace.ts';
import './leads.css';

type Parameters = PolicyExplanationView['parameters'];

export const OUTCOME_COLOR: Readonly<Record<Outcome, string>> = { pass: 'green', fail: 'red', unknown: 'orange' };

export function OutcomeMark({ outcome }: { outcome: Outcome }) {
  const t = useT(leadMessages);
  const label = outcome === 'pass' ? t('outcomePass') : outcome === 'fail' ? t('outcomeFail') : t('outcomeUnknown');
  return (
    <span className={`tj-trace-mark tj-trace-${outcome}`} role="img" aria-label={label} title={label}>
      {OUTCOME_MARK[outcome]}
    </span>
  );
}

/** 符合条件 / 不符合条件 / 无法判断 as a coloured tag. */
export function EligibleTag({ eligible }: { eligible: Outcome }) {
  const t = useT(leadMessages);
  const text = eligible === 'pass' ? t('eligiblePass') : eligible === 'fail' ? t('eligibleFail') : t('eligibleUnknown');
  return (
    <Tag color={OUTCOME_COLOR[eligible]} variant="filled">
      {OUTCOME_MARK[eligible]} {text}
    </Tag>
  );
}

export interface ExplanationTreeProps {
  explanation: PolicyExplanationView;
  /** Show the outcome, the legal source and the counts above the conditions (off where the row already says so). */
  header?: boolean;
  testId?: string;
}

export function ExplanationTree({ explanation, header = true, testId }: ExplanationTreeProps) {
  const t = useT(leadMessages);
  const { lang } = useI18n();
  const [showCode, setShowCode] = useState(false);
  const counts = outcomeCounts(explanation.trace);
  return (
    <div className="tj-explanation" data-testid={testId}>
      {header && (
        <div className="tj-explanation-head">
          <Space size={4} wrap>
            <EligibleTag eligible={explanation.eligible} />
            <Tag variant="filled" color={explanation.holds ? 'green' : 'default'}>
              {explanation.holds ? t('holds') : t('notHolds')}
            </Tag>
            {explanation.kind && (
              <Tag color={explanation.kind === 'lead' ? 'orange' : 'red'}>
                {explanation.kind === 'lead' ? t('kindLead') : t('kindReview')}
              </Tag>
            )}
            {explanation.monthlyAmountYuan !== null && (
              <Tag color="gold">{t('perMonth', { n: formatNumber(explanation.monthlyAmountYuan, lang, 2) })}</Tag>
            )}
            {!explanation.inForce && <Tag color="default">{t('notInForce')}</Tag>}
          </Space>
          <div className="tj-explanation-source">
            <Typography.Text type="secondary">{t('legalSource')}：</Typography.Text>
            {explanation.source}
          </div>
        </div>
      )}

      {explanation.missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ margin: '8px 0' }}
          data-testid="explanation-missing"
          title={t('missing', { facts: explanation.missing.map((f) => factLabel(f, lang)).join('、') })}
        />
      )}

      <div className="tj-explanation-section">
        <Typography.Text strong>{t('conditions')}</Typography.Text>
        <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
          {t('counts', counts)}
        </Typography.Text>
        <label className="tj-trace-code-switch">
          <Switch
            size="small"
            checked={showCode}
            onChange={setShowCode}
            aria-label={t('showCode')}
            data-testid="show-rule-code"
          />
          <span>{t('showCode')}</span>
        </label>
      </div>
      <TraceTree node={explanation.trace} parameters={explanation.parameters} showCode={showCode} />

      <div className="tj-explanation-section">
        <Typography.Text strong>{t('parameters')}</Typography.Text>
      </div>
      <ParametersTable parameters={explanation.parameters} />
    </div>
  );
}

function TraceTree({ node, parameters, showCode }: { node: TraceNode; parameters: Parameters; showCode: boolean }) {
  // The rule's conditions (the parts of its top-level "all of"): the list, without a heading line.
  return (
    <ul className="tj-trace" data-testid="trace-tree">
      {conditionsOf(node).map((c, i) => (
        <ConditionItem
          key={nodeKey([i])}
          node={c}
          path={c === node ? [] : [i]}
          parameters={parameters}
          showCode={showCode}
        />
      ))}
    </ul>
  );
}

/** A condition of the rule: its label; its code and, for an "any of", its parts when the code is shown. */
function ConditionItem({
  node,
  path,
  parameters,
  showCode,
}: {
  node: TraceNode;
  path: number[];
  parameters: Parameters;
  showCode: boolean;
}) {
  const t = useT(leadMessages);
  const kind = nodeKind(node);
  const grouped = kind !== 'condition';
  return (
    <li className="tj-trace-item" data-outcome={node.outcome}>
      <div className="tj-trace-line">
        <OutcomeMark outcome={node.outcome} />
        <span className="tj-trace-label">{node.label ?? node.text}</span>
      </div>
      {showCode && (
        <div className="tj-trace-code">
          <code className="tj-mono tj-trace-text">{node.text}</code>
        </div>
      )}
      {showCode && grouped ? (
        <div className="tj-trace-code">
          <span className="tj-trace-group">
            {kind === 'and' ? t('allOf') : kind === 'or' ? t('anyOf') : t('noneOf')}
          </span>
          <ul className="tj-trace tj-trace-nested">
            {node.parts.map((p, i) => (
              <TraceItem key={nodeKey([...path, i])} node={p} path={[...path, i]} parameters={parameters} />
            ))}
          </ul>
        </div>
      ) : (
        <Facts facts={factsUnder(node)} used={parametersIn(node.text, parameters)} />
      )}
    </li>
  );
}

/** A part of a condition, in the rule's code: "all of / any of / not" with its parts, or one comparison with its facts. */
function TraceItem({ node, path, parameters }: { node: TraceNode; path: number[]; parameters: Parameters }) {
  const t = useT(leadMessages);
  const kind = nodeKind(node);
  if (kind !== 'condition') {
    const heading = kind === 'and' ? t('allOf') : kind === 'or' ? t('anyOf') : t('noneOf');
    return (
      <li className="tj-trace-item" data-outcome={node.outcome}>
        <div className="tj-trace-line">
          <OutcomeMark outcome={node.outcome} />
          <span className="tj-trace-group">{heading}</span>
        </div>
        <ul className="tj-trace tj-trace-nested">
          {node.parts.map((p, i) => (
            <TraceItem key={nodeKey([...path, i])} node={p} path={[...path, i]} parameters={parameters} />
          ))}
        </ul>
      </li>
    );
  }
  return (
    <li className="tj-trace-item" data-outcome={node.outcome}>
      <div className="tj-trace-line">
        <OutcomeMark outcome={node.outcome} />
        <code className="tj-mono tj-trace-text">{node.text}</code>
      </div>
      <Facts facts={node.facts} used={parametersIn(node.text, parameters)} />
    </li>
  );
}

/** The facts a condition read, in words with their values, and the parameters it used. */
function Facts({ facts, used }: { facts: TraceNode['facts']; used: Parameters }) {
  const { lang } = useI18n();
  if (facts.length === 0 && used.length === 0) return null;
  return (
    <div className="tj-trace-facts">
      {facts.map((f) => (
        <span
          key={f.name}
          className={`tj-fact${f.value === null && f.name !== 'disability_grade' ? ' tj-fact-missing' : ''}`}
        >
          {factLabel(f.name, lang)} = <b>{factValue(f.name, f.value, lang)}</b>
        </span>
      ))}
      {used.map((p) => (
        <span key={p.name} className="tj-fact tj-fact-param" title={p.source}>
          <span className="tj-mono">{p.name}</span> {p.label} = <b>{formatNumber(p.value, lang, 2)}</b>
        </span>
      ))}
    </div>
  );
}

function ParametersTable({ parameters }: { parameters: Parameters }) {
  const t = useT(leadMessages);
  const { lang } = useI18n();
  if (parameters.length === 0) return <Typography.Text type="secondary">{t('noParameters')}</Typography.Text>;
  return (
    <Table
      size="small"
      rowKey="name"
      pagination={false}
      dataSource={parameters}
      data-testid="parameters-table"
      scroll={{ x: 560 }}
      columns={[
        {
          title: t('paramName'),
          dataIndex: 'name',
          key: 'name',
          width: 150,
          render: (v: string) => <span className="tj-mono">{v}</span>,
        },
        { title: t('paramLabel'), dataIndex: 'label', key: 'label' },
        {
          title: t('paramValue'),
          dataIndex: 'value',
          key: 'value',
          width: 90,
          align: 'right',
          render: (v: number) => formatNumber(v, lang, 2),
        },
        { title: t('paramFrom'), dataIndex: 'from', key: 'from', width: 110 },
        { title: t('paramSource'), dataIndex: 'source', key: 'source' },
      ]}
    />
  );
}
