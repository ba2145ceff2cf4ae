/**
 * New tag / edit tag. The server validates again and explains: a taken name lands on the name
 * field, a rule error is shown under the rule with the wrong part marked.
 */
import { Alert, App as AntdApp, Button, Collapse, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client.ts';
import {
  TAG_CATEGORIES,
  tags as tagsApi,
  type RuleVocabulary,
  type TagCategory,
  type TagView,
} from '../../api/tags.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { categoryName } from './dictionary.ts';
import { tagMessages } from './messages.ts';
import { ExpressionErrorView } from './shared.tsx';

interface FormValues {
  code: string;
  category: TagCategory;
  source: 'rule' | 'manual';
  description: string;
  keeper?: string;
  rule?: string;
}

/** The server's rules for a code (tags.schema.ts), checked before sending. */
const CODE_FORBIDDEN = /[\s()（）"]/;
const KEYWORDS = ['AND', 'OR', 'NOT'];

export function TagFormModal({
  open,
  tag,
  onClose,
  onSaved,
}: {
  open: boolean;
  tag?: TagView;
  onClose: () => void;
  onSaved: (tag: TagView) => void;
}) {
  const t = useT(tagMessages);
  return (
    <Modal
      open={open}
      title={tag ? t('editTitle', { code: tag.code }) : t('createTitle')}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={640}
    >
      <TagForm tag={tag} onClose={onClose} onSaved={onSaved} />
    </Modal>
  );
}

function TagForm({ tag, onClose, onSaved }: { tag?: TagView; onClose: () => void; onSaved: (tag: TagView) => void }) {
  const t = useT(tagMessages);
  const { lang } = useI18n();
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const source = Form.useWatch('source', form) ?? tag?.source;
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [ruleError, setRuleError] = useState<{ error: unknown; text: string } | null>(null);
  const ruleBox = useRef<TextAreaRef>(null);
  const isRule = source === 'rule';
  const { data: vocabulary } = useApi((signal) => tagsApi.vocabulary(signal), []);

  const initial: Partial<FormValues> = tag
    ? {
        code: tag.code,
        category: tag.category,
        source: tag.source === 'manual' ? 'manual' : 'rule',
        description: tag.description,
        keeper: tag.keeper ?? '',
        rule: tag.rule ?? '',
      }
    : { source: 'rule' };

  /** Inserts a fact or call at the caret of the rule box, so the help is a palette, not just a list. */
  const insert = (snippet: string) => {
    const el = ruleBox.current?.resizableTextArea?.textArea;
    const current: string = form.getFieldValue('rule') ?? '';
    const start = el?.selectionStart ?? current.length;
    const end = el?.selectionEnd ?? current.length;
    const before = current.slice(0, start);
    const pad = before !== '' && !/\s$/.test(before) ? ' ' : '';
    const next = `${before}${pad}${snippet}${current.slice(end)}`;
    form.setFieldValue('rule', next);
    setRuleError(null);
    requestAnimationFrame(() => {
      const caret = before.length + pad.length + snippet.length;
      el?.focus();
      el?.setSelectionRange(caret, caret);
    });
  };

  const submit = async (values: FormValues) => {
    setSaving(true);
    setFailure(null);
    setRuleError(null);
    // The server trims the rule and reports positions in the trimmed text: send it trimmed.
    const rule = values.rule?.trim() ?? '';
    const keeper = values.keeper?.trim() ?? '';
    try {
      const saved = tag
        ? await tagsApi.update(tag.id, {
            category: values.category,
            description: values.description.trim(),
            keeper: keeper === '' ? null : keeper,
            ...(tag.source === 'rule' ? { rule } : {}),
          })
        : await tagsApi.create({
            code: values.code.trim(),
            category: values.category,
            source: values.source,
            description: values.description.trim(),
            ...(keeper !== '' ? { keeper } : {}),
            ...(values.source === 'rule' ? { rule } : {}),
          });
      message.success(tag ? t('savedTag', { code: saved.code }) : t('createdTag', { code: saved.code }));
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'TJ_RULE_INVALID') setRuleError({ error: e, text: rule });
      else if (e instanceof ApiError && e.code === 'TJ_TAG_CODE_TAKEN')
        form.setFields([{ name: 'code', errors: [e.message] }]);
      else setFailure(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark="optional"
      initialValues={initial}
      onFinish={submit}
      data-testid="tag-form"
      onValuesChange={(changed: Partial<FormValues>) => {
        if ('rule' in changed) setRuleError(null);
      }}
    >
      {failure !== null && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('saveFailed')}
          description={errorMessage(failure)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Form.Item
        name="code"
        label={t('code')}
        extra={tag ? undefined : t('codeRule')}
        rules={[
          { required: true, whitespace: true, message: t('codeRequired') },
          {
            validator: (_, v: string | undefined) => {
              const s = (v ?? '').trim();
              return s.length > 32 || CODE_FORBIDDEN.test(s) || KEYWORDS.includes(s.toUpperCase())
                ? Promise.reject(new Error(t('codeRule')))
                : Promise.resolve();
            },
          },
        ]}
      >
        <Input disabled={!!tag} maxLength={32} autoComplete="off" />
      </Form.Item>
      <Form.Item name="category" label={t('category')} rules={[{ required: true, message: t('categoryRequired') }]}>
        <Select options={TAG_CATEGORIES.map((c) => ({ value: c, label: categoryName(c, lang) }))} />
      </Form.Item>
      <Form.Item name="source" label={t('source')} rules={[{ required: true }]}>
        <Radio.Group
          disabled={!!tag}
          options={[
            { value: 'rule', label: t('sourceRule') },
            { value: 'manual', label: t('sourceManual') },
          ]}
          style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
        />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('description')}
        rules={[{ required: true, whitespace: true, message: t('descriptionRequired') }]}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} />
      </Form.Item>
      <Form.Item name="keeper" label={t('keeper')} extra={t('keeperHint')}>
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      {isRule && (tag === undefined || tag.source === 'rule') && (
        <>
          <Form.Item
            name="rule"
            label={t('rule')}
            extra={t('ruleHint')}
            validateStatus={ruleError ? 'error' : undefined}
            rules={[{ required: true, whitespace: true, message: t('ruleRequired') }]}
            style={{ marginBottom: ruleError ? 0 : undefined }}
          >
            <Input.TextArea
              ref={ruleBox}
              className="tj-mono"
              autoSize={{ minRows: 2, maxRows: 6 }}
              maxLength={2000}
              placeholder={t('rulePlaceholder')}
              data-testid="tag-rule"
              spellCheck={false}
            />
          </Form.Item>
          {ruleError && (
            <div style={{ marginBottom: 16 }}>
              <ExpressionErrorView error={ruleError.error} text={ruleError.text} testId="tag-rule-error" />
            </div>
          )}
          {vocabulary && <VocabularyHelp vocabulary={vocabulary} onPick={insert} />}
        </>
      )}
      <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8, marginTop: 16 }}>
        <Button onClick={onClose}>{t('cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="tag-form-submit">
          {tag ? t('save') : t('create')}
        </Button>
      </div>
    </Form>
  );
}

function VocabularyHelp({ vocabulary, onPick }: { vocabulary: RuleVocabulary; onPick: (snippet: string) => void }) {
  const t = useT(tagMessages);
  return (
    <Collapse
      size="small"
      items={[
        {
          key: 'vocab',
          label: t('vocabulary'),
          children: (
            <div className="tj-vocab" data-testid="rule-vocabulary">
              <Typography.Text strong style={{ fontSize: 12 }}>
                {t('facts')}
              </Typography.Text>
              {vocabulary.facts.map((f) => (
                <button key={f.name} type="button" className="tj-vocab-item" onClick={() => onPick(f.name)}>
                  <span className="tj-mono">{f.name}</span>{' '}
                  <Typography.Text type="secondary">({f.type})</Typography.Text> {f.label}
                  {f.values && f.values.length > 0 && (
                    <Typography.Text type="secondary">
                      {' '}
                      · {t('values')}：{f.values.join(' / ')}
                    </Typography.Text>
                  )}
                </button>
              ))}
              <Typography.Text strong style={{ fontSize: 12, display: 'block', marginTop: 6 }}>
                {t('functions')}
              </Typography.Text>
              {vocabulary.functions.map((fn) => (
                <div key={fn.name} style={{ padding: '3px 6px' }}>
                  <span className="tj-mono">{fn.name}(…)</span> {fn.label}
                  <div style={{ marginTop: 2 }}>
                    {(fn.argValues.length > 0 ? fn.argValues : ['']).map((arg) => (
                      <Button
                        key={arg}
                        size="small"
                        type="dashed"
                        style={{ margin: '0 4px 4px 0' }}
                        onClick={() => onPick(`${fn.name}("${arg}")`)}
                      >
                        <span className="tj-mono">
                          {fn.name}("{arg}")
                        </span>
                      </Button>
                    ))}
                  </div>
                </div>
              ))}
            </div>
          ),
        },
      ]}
    />
  );
}
