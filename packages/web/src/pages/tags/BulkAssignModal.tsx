/**
 * 批量标注: sets a manual tag on everyone the applied selection finds. The server evaluates the
 * selection again on the same date (so the people tagged are the people listed), skips residents
 * who already carry the tag or are outside its area, and records who, when and why.
 */
import { Alert, Button, DatePicker, Form, Input, Modal, Result, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { tags as tagsApi, type AssignResult, type TagView } from '../../api/tags.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { skippedByReason } from './assignment.ts';
import { tagMessages } from './messages.ts';
import { TagChip } from './shared.tsx';

interface FormValues {
  tagId: number;
  reason: string;
  evidence?: string;
  validity?: [Dayjs | null, Dayjs | null] | null;
}

export interface BulkAssignProps {
  open: boolean;
  expression: string;
  asOf: string;
  count: number;
  manualTags: TagView[];
  /** `changed`: someone was tagged, so counts and lists must be reloaded. */
  onClose: (changed: boolean) => void;
}

export function BulkAssignModal(props: BulkAssignProps) {
  const t = useT(tagMessages);
  return (
    <Modal
      open={props.open}
      title={t('bulkTitle')}
      onCancel={() => props.onClose(false)}
      footer={null}
      destroyOnHidden
      width={560}
    >
      <BulkAssignForm {...props} />
    </Modal>
  );
}

function BulkAssignForm({ expression, asOf, count, manualTags, onClose }: BulkAssignProps) {
  const t = useT(tagMessages);
  const { lang } = useI18n();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [result, setResult] = useState<AssignResult | null>(null);
  const n = (v: number) => formatNumber(v, lang);

  const submit = async (values: FormValues) => {
    setSaving(true);
    setFailure(null);
    const [from, to] = values.validity ?? [null, null];
    try {
      setResult(
        await tagsApi.assign(values.tagId, {
          selection: { expression, asOf },
          reason: values.reason.trim(),
          ...(values.evidence?.trim() ? { evidence: values.evidence.trim() } : {}),
          ...(from ? { validFrom: from.format('YYYY-MM-DD') } : {}),
          ...(to ? { validTo: to.format('YYYY-MM-DD') } : {}),
        }),
      );
    } catch (e) {
      setFailure(e);
    } finally {
      setSaving(false);
    }
  };

  if (result) {
    const reasons = skippedByReason(result.skipped);
    return (
      <Result
        status={result.assigned > 0 ? 'success' : 'info'}
        data-testid="bulk-result"
        style={{ padding: '16px 0 0' }}
        title={t('bulkResult', { assigned: n(result.assigned), skipped: n(result.skipped.length) })}
        subTitle={reasons.map((r) => t('bulkSkippedReason', { reason: r.reason, n: n(r.n) })).join('；')}
        extra={
          <Button type="primary" onClick={() => onClose(result.assigned > 0)} data-testid="bulk-done">
            {t('bulkDone')}
          </Button>
        }
      />
    );
  }

  return (
    <Form<FormValues> layout="vertical" requiredMark="optional" onFinish={submit} data-testid="bulk-form">
      <Typography.Paragraph style={{ marginBottom: 4 }}>{t('bulkIntro', { n: n(count) })}</Typography.Paragraph>
      <Typography.Paragraph>
        <code className="tj-mono" style={{ wordBreak: 'break-all' }}>
          {expression}
        </code>
      </Typography.Paragraph>
      {failure !== null && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('bulkFailed')}
          description={errorMessage(failure)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Form.Item name="tagId" label={t('bulkTagLabel')} rules={[{ required: true, message: t('bulkTagRequired') }]}>
        <Select<number>
          placeholder={t('bulkTagRequired')}
          notFoundContent={t('noManualTags')}
          data-testid="bulk-tag"
          options={manualTags.map((x) => ({
            value: x.id,
            label: (
              <span>
                <TagChip code={x.code} category={x.category} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {x.ownerName}
                </Typography.Text>
              </span>
            ),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('reason')}
        rules={[{ required: true, whitespace: true, message: t('reasonRequired') }]}
      >
        <Input maxLength={200} placeholder={t('reasonPlaceholder')} data-testid="bulk-reason" />
      </Form.Item>
      <Form.Item name="evidence" label={t('evidence')}>
        <Input maxLength={500} placeholder={t('evidencePlaceholder')} />
      </Form.Item>
      <Form.Item name="validity" label={t('validity')} extra={t('validityHint')}>
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          placeholder={[t('validFrom'), t('validTo')]}
          style={{ width: '100%' }}
        />
      </Form.Item>
      <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
        <Button onClick={() => onClose(false)}>{t('cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="bulk-submit">
          {t('bulkOk')}
        </Button>
      </div>
    </Form>
  );
}
