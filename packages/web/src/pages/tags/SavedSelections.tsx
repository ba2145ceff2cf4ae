/**
 * Saved selections of the user's unit (shared by its workers): load one into the builder, delete
 * one, save the current one under a name. The server normalises the expression when saving.
 */
import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Card, Empty, Form, Input, Modal, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { selections, type SavedSelection } from '../../api/tags.ts';
import type { ApiState } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatAt } from '../residents/shared.tsx';
import { tagMessages } from './messages.ts';

export function SavedSelectionsCard({
  saved,
  onLoad,
}: {
  saved: ApiState<{ items: SavedSelection[] }>;
  onLoad: (s: SavedSelection) => void;
}) {
  const t = useT(tagMessages);
  const { lang } = useI18n();
  const { message } = AntdApp.useApp();
  const remove = async (s: SavedSelection) => {
    try {
      await selections.removeSaved(s.id);
      saved.reload();
    } catch (e) {
      message.error(`${t('deleteFailed')}：${errorMessage(e)}`);
    }
  };
  const items = saved.data?.items ?? [];
  return (
    <Card size="small" title={t('saved')} data-testid="saved-selections">
      {saved.error !== null && saved.error !== undefined && <ErrorAlert error={saved.error} onRetry={saved.reload} />}
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('savedEmpty')} style={{ margin: '8px 0' }} />
      ) : (
        <ul className="tj-saved-list">
          {items.map((s) => (
            <li key={s.id} data-testid="saved-item">
              <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
                <Button
                  type="link"
                  style={{ padding: 0, height: 'auto', fontWeight: 600 }}
                  onClick={() => onLoad(s)}
                  title={t('load')}
                >
                  {s.name}
                </Button>
                <Popconfirm
                  title={t('deleteSavedConfirm', { name: s.name })}
                  onConfirm={() => remove(s)}
                  okText={t('delete')}
                  cancelText={t('cancel')}
                  okButtonProps={{ danger: true }}
                >
                  <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={`${t('delete')} ${s.name}`} />
                </Popconfirm>
              </div>
              <div className="tj-saved-expr tj-mono">{s.expression}</div>
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                {s.rank.length > 0 && <>{t('savedRank', { tags: s.rank.join(lang === 'zh' ? '、' : ', ') })} · </>}
                {t('savedBy', { by: s.createdBy, at: formatAt(s.createdAt) })}
              </Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function SaveSelectionButton({
  expression,
  rank,
  disabled,
  onSaved,
}: {
  expression: string;
  rank: readonly string[];
  disabled: boolean;
  onSaved: () => void;
}) {
  const t = useT(tagMessages);
  const { message } = AntdApp.useApp();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const submit = async ({ name }: { name: string }) => {
    setSaving(true);
    setFailure(null);
    try {
      const saved = await selections.save({ name: name.trim(), expression, rank: [...rank] });
      message.success(t('savedSelection', { name: saved.name }));
      setOpen(false);
      onSaved();
    } catch (e) {
      setFailure(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Button
        icon={<SaveOutlined />}
        disabled={disabled}
        onClick={() => {
          setFailure(null);
          setOpen(true);
        }}
        data-testid="save-selection"
      >
        {t('saveSelection')}
      </Button>
      <Modal open={open} title={t('saveSelectionTitle')} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Form layout="vertical" onFinish={submit}>
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
          <Typography.Paragraph>
            <code className="tj-mono" style={{ wordBreak: 'break-all' }}>
              {expression}
            </code>
          </Typography.Paragraph>
          <Form.Item
            name="name"
            label={t('selectionName')}
            rules={[{ required: true, whitespace: true, message: t('selectionNameRequired') }]}
          >
            <Input maxLength={64} placeholder={t('selectionNamePlaceholder')} autoFocus data-testid="selection-name" />
          </Form.Item>
          <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
            <Button onClick={() => setOpen(false)}>{t('cancel')}</Button>
            <Button type="primary" htmlType="submit" loading={saving}>
              {t('save')}
            </Button>
          </Space>
        </Form>
      </Modal>
    </>
  );
}
