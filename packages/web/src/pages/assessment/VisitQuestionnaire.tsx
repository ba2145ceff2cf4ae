/**
 * 入户问卷: the questions a home visit can answer for the indicators the assessment could not
 * evaluate (derived by the server from the framework: the facts each indicator reads that the
 * registry lacks), grouped by household and member, each with its input (number, 是/否, a choice
 * from the exchange format's codes). Submitting stores the answers and hands back the assessment
 * with them applied.
 */
import {
  App as AntdApp,
  DatePicker,
  Divider,
  Empty,
  InputNumber,
  Modal,
  Radio,
  Select,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { assessment, type HouseholdAssessmentView, type VisitQuestionView } from '../../api/assessment.ts';
import { errorMessage } from '../../api/client.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { assessmentMessages } from './messages.ts';
import { indicatorName } from './names.ts';

interface Props {
  householdId: string;
  /** The assessment's date: the questionnaire is that date's, and the visit date defaults to it. */
  asOf: string;
  open: boolean;
  onClose: () => void;
  onAnswered: (view: HouseholdAssessmentView) => void;
}

export function VisitQuestionnaire({ householdId, asOf, open, onClose, onAnswered }: Props) {
  const t = useT(assessmentMessages);
  const { lang } = useI18n();
  const { message } = AntdApp.useApp();
  const q = useApi(
    (signal) => (open ? assessment.questionnaire(householdId, asOf, signal) : Promise.resolve(undefined)),
    [householdId, asOf, open],
  );
  const [values, setValues] = useState<Record<string, string | number | null>>({});
  const [visitDate, setVisitDate] = useState(asOf);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (open) {
      setValues({});
      setVisitDate(asOf);
    }
  }, [open, asOf]);

  const data = q.data && q.data.householdId === householdId ? q.data : undefined;
  const groups = useMemo(() => {
    const out: Array<{ key: string; title: string; questions: VisitQuestionView[] }> = [];
    for (const x of data?.questions ?? []) {
      const key = x.member?.ref ?? '';
      let g = out.find((y) => y.key === key);
      if (!g) {
        out.push(
          (g = {
            key,
            title: x.member
              ? t('memberQuestions', { name: x.member.name, relation: x.member.relation ?? '—', age: x.member.age })
              : t('householdQuestions'),
            questions: [],
          }),
        );
      }
      g.questions.push(x);
    }
    return out;
  }, [data, t]);
  const names = (codes: readonly string[]) =>
    codes.map((c) => indicatorName(c, lang, data?.indicators.find((x) => x.code === c)?.name)).join('、');

  const submit = async () => {
    const answers = (data?.questions ?? [])
      .filter((x) => values[x.key] !== undefined && values[x.key] !== null && values[x.key] !== '')
      .map((x) => ({ fact: x.fact, member: x.member?.ref ?? null, value: values[x.key]! }));
    if (answers.length === 0) {
      message.warning(t('nothingAnswered'));
      return;
    }
    setSaving(true);
    try {
      const view = await assessment.answer(householdId, asOf, { visitDate, answers });
      message.success(t('answersSaved', { n: answers.length }));
      onAnswered(view);
      onClose();
    } catch (e) {
      message.error(`${t('answersFailed')}：${errorMessage(e)}`);
    } finally {
      setSaving(false);
    }
  };

  const input = (x: VisitQuestionView) => {
    const set = (v: string | number | null) => setValues((old) => ({ ...old, [x.key]: v }));
    const v = values[x.key] ?? null;
    const testId = `answer-${x.key}`;
    if (x.input === 'number') {
      return (
        <InputNumber
          min={x.min ?? undefined}
          max={x.max ?? undefined}
          value={typeof v === 'number' ? v : null}
          onChange={(n) => set(n)}
          addonAfter={x.unit ?? undefined}
          style={{ width: 200 }}
          aria-label={x.question}
          data-testid={testId}
        />
      );
    }
    if (x.input === 'yes_no') {
      return (
        <Radio.Group
          value={v}
          onChange={(e) => set(e.target.value as string)}
          data-testid={testId}
          aria-label={x.question}
        >
          <Radio value="是">{t('yes')}</Radio>
          <Radio value="否">{t('no')}</Radio>
        </Radio.Group>
      );
    }
    return (
      <Select
        style={{ width: 200 }}
        placeholder={t('choose')}
        value={typeof v === 'string' ? v : undefined}
        onChange={(c: string) => set(c)}
        options={(x.choices ?? []).map((c) => ({ value: c, label: c }))}
        aria-label={x.question}
        data-testid={testId}
      />
    );
  };

  return (
    <Modal
      open={open}
      onCancel={onClose}
      onOk={submit}
      okText={t('submitAnswers')}
      cancelText={t('cancel')}
      confirmLoading={saving}
      width={760}
      okButtonProps={{
        disabled: !data || data.questions.length === 0,
        ...({ 'data-testid': 'submit-answers' } as Record<`data-${string}`, string>),
      }}
      title={t('questionnaireTitle', { household: householdId })}
      destroyOnHidden
    >
      <div data-testid="questionnaire">
        {q.error !== null && q.error !== undefined && !q.loading ? (
          <ErrorAlert title={t('questionnaireFailed')} error={q.error} onRetry={q.reload} />
        ) : !data ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : (
          <>
            <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
              {t('questionnaireIntro')}
            </Typography.Paragraph>
            {data.indicators.length > 0 && (
              <div style={{ marginBottom: 12 }} data-testid="questionnaire-indicators">
                <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
                  {t('unknown')}：
                </Typography.Text>
                {data.indicators.map((x) => (
                  <Tag key={x.code} color="gold">
                    {indicatorName(x.code, lang, x.name)}
                    {x.questions.length === 0 ? ` ${t('noQuestionFor')}` : ''}
                  </Tag>
                ))}
              </div>
            )}
            {data.questions.length === 0 ? (
              <Empty description={t('noQuestions')} />
            ) : (
              <>
                <Space style={{ marginBottom: 8 }}>
                  <Typography.Text>{t('visitDate')}</Typography.Text>
                  <DatePicker
                    allowClear={false}
                    value={dayjs(visitDate)}
                    onChange={(d) => {
                      if (d) setVisitDate(d.format('YYYY-MM-DD'));
                    }}
                    aria-label={t('visitDate')}
                  />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('visitDateHint')}
                  </Typography.Text>
                </Space>
                {groups.map((g) => (
                  <div key={g.key} data-testid={`questions-${g.key || 'household'}`}>
                    <Divider titlePlacement="start" style={{ margin: '12px 0 8px' }}>
                      {g.title}
                    </Divider>
                    {g.questions.map((x) => (
                      <div
                        key={x.key}
                        style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap', marginBottom: 8 }}
                      >
                        <div style={{ flex: '1 1 260px' }}>
                          <div>{x.question}</div>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {t('forIndicators', { names: names(x.indicators) })}
                          </Typography.Text>
                        </div>
                        {input(x)}
                      </div>
                    ))}
                  </div>
                ))}
              </>
            )}
            {data.answers.length > 0 && (
              <>
                <Divider titlePlacement="start" style={{ margin: '12px 0 8px' }}>
                  {t('earlierAnswers')}
                </Divider>
                <ul style={{ paddingInlineStart: 18, margin: 0, fontSize: 12 }} data-testid="earlier-answers">
                  {data.answers.map((a, i) => (
                    <li key={i}>
                      {a.visitDate} · {a.memberName ? `${a.memberName} · ` : ''}
                      {a.label}：<b>{a.value}</b> · {a.answeredBy}
                      {!a.applied && <Typography.Text type="secondary"> · {t('notApplied')}</Typography.Text>}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </div>
    </Modal>
  );
}
