/**
 * 居民自助测算: a resident answers a few questions about their household on their phone, without
 * signing in, and sees per member which help they may be entitled to, why (each condition met or
 * not, in plain words), and how to apply. The same rules as the workbench evaluate the answers; the
 * server keeps nothing of them.
 */
import { CheckCircleFilled, DeleteOutlined, PlusOutlined, QuestionCircleFilled } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Segmented,
  Select,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { screener, type Outcome, type ScreenerPolicyResult, type ScreenerResult } from '../../api/policies.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber, type Lang } from '../../app/i18n.ts';
import { valueName } from '../../app/terms.ts';
import { policyName } from '../leads/trace.ts';
import {
  DISABILITY_CATEGORIES,
  EMPLOYMENT,
  GENDERS,
  groupResults,
  MAX_LABEL,
  MAX_MEMBERS,
  NEW_MEMBER,
  SCHOOL_STAGES,
  toScreenerRequest,
  unmetReasons,
  type ScreenerAnswers,
} from './form.ts';
import { screenerMessages } from './messages.ts';
import './screener.css';

const MARK: Readonly<Record<Outcome, string>> = { pass: '✓', fail: '✗', unknown: '?' };

export default function ScreenerPage() {
  const t = useT(screenerMessages);
  const { lang, setLang } = useI18n();
  const [form] = Form.useForm<ScreenerAnswers>();
  // The answers go with the result: a school-stage condition reads differently for a non-student.
  const [result, setResult] = useState<{ result: ScreenerResult; answers: ScreenerAnswers } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = `${t('title')} · 听见`;
  }, [t]);
  useEffect(() => {
    if (result) resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [result]);

  const onFinish = async (answers: ScreenerAnswers) => {
    setBusy(true);
    setError(null);
    try {
      setResult({ result: await screener.submit(toScreenerRequest(answers)), answers });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const required = [{ required: true, message: t('required') }];
  return (
    <div className="tj-screener" data-testid="screener-page">
      <header className="tj-screener-header">
        <img src="/favicon.svg" alt="" width={36} height={36} />
        <div className="tj-screener-titles">
          <h1>{t('title')}</h1>
          <Typography.Text type="secondary">{t('subtitle')}</Typography.Text>
        </div>
        <Segmented
          size="small"
          value={lang}
          onChange={(v) => setLang(v as Lang)}
          aria-label="Language"
          options={[
            { label: '中文', value: 'zh' },
            { label: 'EN', value: 'en' },
          ]}
        />
      </header>

      <Alert type="info" showIcon title={t('privacy')} style={{ marginBottom: 12 }} />

      <Form<ScreenerAnswers>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        disabled={busy}
        scrollToFirstError
        initialValues={{ financialAssetsYuan: 0, members: [NEW_MEMBER] }}
        data-testid="screener-form"
      >
        <Card
          size="small"
          title={t('household')}
          extra={
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('householdHint')}
            </Typography.Text>
          }
          className="tj-screener-card"
        >
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="financialAssetsYuan" label={t('financialAssets')}>
                <InputNumber
                  min={0}
                  max={1e9}
                  precision={0}
                  inputMode="numeric"
                  style={{ width: '100%' }}
                  size="large"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="housingAreaM2" label={t('housingArea')}>
                <InputNumber min={0} max={10000} inputMode="decimal" style={{ width: '100%' }} size="large" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  className="tj-screener-card"
                  data-testid={`member-${index + 1}`}
                  title={t('member', { n: index + 1 })}
                  extra={
                    fields.length > 1 && (
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label={t('removeMemberLabel', { n: index + 1 })}
                      >
                        {t('removeMember')}
                      </Button>
                    )
                  }
                >
                  <MemberFields name={field.name} required={required} />
                </Card>
              ))}
              {fields.length < MAX_MEMBERS && (
                <Button
                  block
                  size="large"
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ ...NEW_MEMBER })}
                  style={{ marginBottom: 12 }}
                >
                  {t('addMember')}
                </Button>
              )}
            </>
          )}
        </Form.List>

        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('submitFailed')}
            description={error}
            style={{ marginBottom: 12 }}
          />
        )}
        <Button type="primary" htmlType="submit" block size="large" loading={busy}>
          {result ? t('again') : t('submit')}
        </Button>
      </Form>

      <div ref={resultRef}>{result && <Results result={result.result} answers={result.answers} />}</div>

      <footer className="tj-screener-footer">
        <Link to="/login">{t('staffLogin')}</Link>
      </footer>
    </div>
  );
}

function MemberFields({ name, required }: { name: number; required: Array<{ required: boolean; message: string }> }) {
  const t = useT(screenerMessages);
  const { lang } = useI18n();
  const form = Form.useFormInstance<ScreenerAnswers>();
  const grade = Form.useWatch(['members', name, 'disabilityGrade'], form);
  const employment = Form.useWatch(['members', name, 'employment'], form);
  const yesNo = [
    { value: '是', label: t('yes') },
    { value: '否', label: t('no') },
  ];
  return (
    <Row gutter={12}>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'label']} label={t('memberLabel')}>
          <Input maxLength={MAX_LABEL} placeholder={t('memberLabelPlaceholder')} size="large" />
        </Form.Item>
      </Col>
      <Col xs={12} sm={6}>
        <Form.Item name={[name, 'age']} label={t('age')} rules={required}>
          <InputNumber min={0} max={120} precision={0} inputMode="numeric" style={{ width: '100%' }} size="large" />
        </Form.Item>
      </Col>
      <Col xs={12} sm={6}>
        <Form.Item name={[name, 'gender']} label={t('gender')} rules={required}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            size="large"
            options={GENDERS.map((g) => ({ value: g, label: valueName(g, lang) }))}
          />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'hukou']} label={t('hukou')} rules={required}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            size="large"
            options={[
              { value: '本市', label: t('hukouLocal') },
              { value: '外省市', label: t('hukouOther') },
            ]}
          />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'monthlyIncomeYuan']} label={t('monthlyIncome')}>
          <InputNumber min={0} max={1e7} inputMode="decimal" style={{ width: '100%' }} size="large" />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'employment']} label={t('employment')} rules={required}>
          <Select size="large" options={EMPLOYMENT.map((e) => ({ value: e, label: valueName(e, lang) }))} />
        </Form.Item>
      </Col>
      {employment === '在校' && (
        <Col xs={24} sm={12}>
          <Form.Item name={[name, 'schoolStage']} label={t('schoolStage')}>
            <Select
              size="large"
              allowClear
              options={SCHOOL_STAGES.map((s) => ({ value: s, label: valueName(s, lang) }))}
            />
          </Form.Item>
        </Col>
      )}
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'laborCapacity']} label={t('laborCapacity')} rules={required}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            size="large"
            options={[
              { value: '有', label: t('laborFull') },
              { value: '部分', label: t('laborPartial') },
              { value: '无', label: t('laborNone') },
            ]}
          />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'hasSupporter']} label={t('hasSupporter')} rules={required}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            size="large"
            options={[
              { value: '是', label: t('supporterYes') },
              { value: '否', label: t('supporterNo') },
            ]}
          />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'medicalOop12mYuan']} label={t('medicalOop')}>
          <InputNumber min={0} max={1e8} inputMode="decimal" style={{ width: '100%' }} size="large" />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'chronicIllness']} label={t('chronicIllness')}>
          <Radio.Group optionType="button" buttonStyle="solid" size="large" options={yesNo} />
        </Form.Item>
      </Col>
      <Col xs={grade ? 12 : 24} sm={12}>
        <Form.Item name={[name, 'disabilityGrade']} label={t('disability')}>
          <Select
            size="large"
            options={[
              { value: 0, label: t('disabilityNone') },
              ...[1, 2, 3, 4].map((n) => ({ value: n, label: t('disabilityGrade', { n }) })),
            ]}
          />
        </Form.Item>
      </Col>
      {grade ? (
        <Col xs={12} sm={12}>
          <Form.Item name={[name, 'disabilityCategory']} label={t('disabilityCategory')}>
            <Select
              size="large"
              allowClear
              options={DISABILITY_CATEGORIES.map((c) => ({ value: c, label: valueName(c, lang) }))}
            />
          </Form.Item>
        </Col>
      ) : null}
    </Row>
  );
}

function Results({ result, answers }: { result: ScreenerResult; answers: ScreenerAnswers }) {
  const t = useT(screenerMessages);
  return (
    <section className="tj-screener-results" data-testid="screener-result" aria-labelledby="screener-results">
      <h2 id="screener-results">{t('results')}</h2>
      {result.members.map((m, i) => {
        const g = groupResults(m, answers.members[i]);
        return (
          <Card
            key={i}
            size="small"
            className="tj-screener-card"
            title={t('resultsFor', { who: m.label })}
            data-testid={`member-result-${i + 1}`}
          >
            {g.likely.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('nothingLikely')} />
            ) : (
              <>
                <h3 className="tj-screener-group tj-screener-likely-title">
                  <CheckCircleFilled /> {t('likely')}
                </h3>
                {g.likely.map((r) => (
                  <PolicyResult key={r.policy} result={r} />
                ))}
              </>
            )}
            {g.maybe.length > 0 && (
              <>
                <h3 className="tj-screener-group tj-screener-maybe-title">
                  <QuestionCircleFilled /> {t('maybe')}
                </h3>
                <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
                  {t('maybeHint')}
                </Typography.Paragraph>
                {g.maybe.map((r) => (
                  <PolicyResult key={r.policy} result={r} />
                ))}
              </>
            )}
            {g.unlikely.length > 0 && (
              <Collapse
                size="small"
                ghost
                className="tj-screener-unlikely"
                items={[
                  {
                    key: 'unlikely',
                    label: t('unlikely'),
                    children: g.unlikely.map((r) => <UnlikelyResult key={r.policy} result={r} />),
                  },
                ]}
              />
            )}
          </Card>
        );
      })}
      <Alert type="info" showIcon title={result.notice} data-testid="screener-notice" style={{ marginTop: 4 }} />
    </section>
  );
}

function PolicyResult({ result: r }: { result: ScreenerPolicyResult }) {
  const t = useT(screenerMessages);
  const { lang } = useI18n();
  return (
    <div className={`tj-screener-result tj-screener-${r.eligible}`} data-testid={`result-${r.policy}`}>
      <div className="tj-screener-result-head">
        <b>{policyName(r.policy, r.name, lang)}</b>
        {r.monthlyAmountYuan !== null && (
          <span className="tj-screener-amount">{t('amount', { n: formatNumber(r.monthlyAmountYuan, lang, 2) })}</span>
        )}
      </div>
      <Reasons result={r} />
      {r.howToApply && (
        <div className="tj-screener-apply">
          <b>{t('howToApply')}：</b>
          {r.howToApply}
        </div>
      )}
    </div>
  );
}

function UnlikelyResult({ result: r }: { result: ScreenerPolicyResult }) {
  const t = useT(screenerMessages);
  const { lang } = useI18n();
  const unmet = unmetReasons(r);
  return (
    <div className="tj-screener-result tj-screener-fail" data-testid={`result-${r.policy}`}>
      <div className="tj-screener-result-head">
        <b>{policyName(r.policy, r.name, lang)}</b>
      </div>
      {unmet.length > 0 && <div className="tj-screener-whynot">{t('whyNot', { reasons: unmet.join('；') })}</div>}
    </div>
  );
}

function Reasons({ result: r }: { result: ScreenerPolicyResult }) {
  const t = useT(screenerMessages);
  const said: Record<Outcome, string> = { pass: t('met'), fail: t('notMet'), unknown: t('unknown') };
  return (
    <ul className="tj-screener-reasons" aria-label={t('reasons')}>
      {r.reasons.map((x, i) => (
        <li key={i}>
          <span
            className={`tj-screener-mark tj-screener-mark-${x.met}`}
            role="img"
            aria-label={said[x.met]}
            title={said[x.met]}
          >
            {MARK[x.met]}
          </span>
          <span>{x.text}</span>
        </li>
      ))}
    </ul>
  );
}
