/** 用户与角色 (district administrators): the accounts in the area, and a form for a new one. */
import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
} from 'antd';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { users } from '../../api/endpoints.ts';
import { ROLES, type NewUser, type Role, type UserAccount } from '../../api/types.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { useOrg } from '../../app/OrgProvider.tsx';
import { levelName, roleName } from '../../app/terms.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { userMessages } from './messages.ts';
import { orgChoices, orgFitsRole, PASSWORD_MIN, ROLE_LEVEL, USERNAME_PATTERN } from './user-form.ts';

const ROLE_COLORS: Record<string, string> = {
  district: 'magenta',
  street: 'blue',
  committee: 'green',
  adviser: 'gold',
};

export default function UsersPage() {
  const t = useT(userMessages);
  const { lang } = useI18n();
  const { data, error, loading, reload } = useApi((signal) => users.list(signal), []);
  const [open, setOpen] = useState(false);
  const { message } = AntdApp.useApp();
  const unlock = async (username: string) => {
    try {
      await users.unlock(username);
      message.success(t('unlocked', { username }));
      reload();
    } catch (err) {
      message.error(`${t('unlockFailed')}：${errorMessage(err)}`);
    }
  };

  return (
    <div data-testid="users-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('title')}</h1>
          <span className="tj-page-sub">{t('subtitle')}</span>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t('newUser')}
        </Button>
      </div>
      {error !== null && error !== undefined && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('loadFailed')} error={error} onRetry={reload} />
        </div>
      )}
      <Card size="small">
        <Table<UserAccount>
          size="middle"
          rowKey="username"
          loading={loading}
          dataSource={data?.items ?? []}
          locale={{ emptyText: t('noUsers') }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            {
              title: t('username'),
              dataIndex: 'username',
              key: 'username',
              render: (v: string) => <span className="tj-mono">{v}</span>,
              sorter: (a, b) => a.username.localeCompare(b.username),
            },
            { title: t('displayName'), dataIndex: 'displayName', key: 'displayName' },
            {
              title: t('role'),
              dataIndex: 'role',
              key: 'role',
              render: (v: string) => <Tag color={ROLE_COLORS[v]}>{roleName(v, lang)}</Tag>,
              filters: ROLES.map((r) => ({ text: roleName(r, lang), value: r })),
              onFilter: (value, r) => r.role === value,
            },
            {
              title: t('org'),
              dataIndex: 'orgName',
              key: 'org',
              render: (v: string, r) => (
                <span>
                  {v}{' '}
                  <span className="tj-mono" style={{ color: '#8a94a3' }}>
                    {r.orgCode}
                  </span>
                </span>
              ),
            },
            {
              title: t('status'),
              key: 'status',
              render: (_: unknown, r) => (
                <Space size={4} wrap>
                  {r.locked ? <Tag color="red">{t('locked')}</Tag> : <Tag>{t('active')}</Tag>}
                  {r.failedLogins > 0 && (
                    <span style={{ color: '#8a94a3' }}>{t('failedLogins', { n: String(r.failedLogins) })}</span>
                  )}
                  {(r.locked || r.failedLogins > 0) && (
                    <Popconfirm
                      title={t('unlockConfirm', { username: r.username })}
                      onConfirm={() => unlock(r.username)}
                      okText={t('unlock')}
                      cancelText={t('cancel')}
                    >
                      <Button size="small" data-testid={`unlock-${r.username}`}>
                        {t('unlock')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <NewUserModal
        open={open}
        onClose={() => setOpen(false)}
        onCreated={() => {
          setOpen(false);
          reload();
        }}
      />
    </div>
  );
}

function NewUserModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const t = useT(userMessages);
  const { lang } = useI18n();
  const { message } = AntdApp.useApp();
  const { tree } = useOrg();
  const [form] = Form.useForm<NewUser>();
  const role = Form.useWatch('role', form) as Role | undefined;
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const choices = useMemo(() => (tree ? orgChoices(tree, role) : []), [tree, role]);

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      await users.create({ ...values, username: values.username.trim(), displayName: values.displayName.trim() });
      message.success(t('created', { username: values.username }));
      form.resetFields();
      onCreated();
    } catch (e) {
      // 400 (name taken, wrong unit level) and 403 (not a district admin) come with the server's message.
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('newUser')}
      onCancel={onClose}
      onOk={submit}
      okText={t('create')}
      cancelText={t('cancel')}
      confirmLoading={saving}
      destroyOnHidden
      width={520}
    >
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('createFailed')}
          description={error}
          style={{ marginBottom: 12 }}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        requiredMark="optional"
        onValuesChange={(changed: Partial<NewUser>) => {
          // A unit of the old role's level does not fit the new role.
          if (changed.role && tree && !orgFitsRole(tree, changed.role, form.getFieldValue('orgCode')))
            form.setFieldValue('orgCode', undefined);
        }}
      >
        <Form.Item
          name="username"
          label={t('username')}
          extra={t('usernameRule')}
          rules={[{ required: true, pattern: USERNAME_PATTERN, message: t('usernameRule') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('displayName')}
          rules={[{ required: true, whitespace: true, max: 100, message: t('displayNameRequired') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('password')}
          extra={t('passwordRule')}
          rules={[{ required: true, min: PASSWORD_MIN, max: 200, message: t('passwordRule') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label={t('role')} rules={[{ required: true, message: t('roleRequired') }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: roleName(r, lang) }))} />
        </Form.Item>
        <Form.Item
          name="orgCode"
          label={t('org')}
          rules={[{ required: true, message: t('orgRequired') }]}
          extra={
            role ? t('orgHint', { role: roleName(role, lang), level: levelName(ROLE_LEVEL[role], lang) }) : undefined
          }
        >
          <TreeSelect
            treeData={choices}
            showSearch
            treeNodeFilterProp="title"
            disabled={!role}
            treeDefaultExpandedKeys={tree ? [tree.code] : []}
            placeholder={t('orgRequired')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
