/**
 * 为什么: one finding of the worklist, explained condition by condition, with its follow-up
 * (assign to an adviser, then contacted → applied → awarded, or closed with a reason) and the
 * history of what was done. The server checks every move again and says which are allowed when it
 * refuses one; its message is shown as it is.
 */
import { isClosed, needsReason, reachOf } from '@tingjian/engine/browser';
import {
  Alert,
  App as AntdApp,
  Button,
  Drawer,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { advisers as advisersApi, eligibility, leads, type LeadRow, type LeadStatus } from '../../api/policies.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { useUser } from '../../app/SessionProvider.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatAt } from '../residents/shared.tsx';
import { ExplanationTree } from './ExplanationTree.tsx';
import { leadMessages } from './messages.ts';
import { policyName } from './trace.ts';
import { canAssign, STATUS_COLOR, statusActions, statusName } from './workflow.ts';

export interface LeadDrawerProps {
  row: LeadRow | null;
  /** The date the list was evaluated on (absent = today), so the reasons match the row. */
  asOf: string | undefined;
  onClose: () => void;
  onChanged: (row: LeadRow) => void;
}

export function LeadDrawer({ row, asOf, onClose, onChanged }: LeadDrawerProps) {
  const t = useT(leadMessages);
  const { lang } = useI18n();
  const title = row ? t('drawerTitle', { name: row.name, policy: policyName(row.policy, row.policyName, lang) }) : '';
  return (
    <Drawer
      open={row !== null}
      onClose={onClose}
      size={760}
      destroyOnHidden
      title={title}
      data-testid="lead-drawer"
      extra={row && <Link to={`/residents/${row.ref}`}>{t('open360')}</Link>}
    >
      {row && (
        <LeadDetail key={`${row.ref}|${row.policy}|${row.kind}`} initial={row} asOf={asOf} onChanged={onChanged} />
      )}
    </Drawer>
  );
}

function LeadDetail({
  initial,
  asOf,
  onChanged,
}: {
  initial: LeadRow;
  asOf: string | undefined;
  onChanged: (row: LeadRow) => void;
}) {
  const t = useT(leadMessages);
  const { lang } = useI18n();
  const user = useUser();
  const { message } = AntdApp.useApp();
  const [row, setRow] = useState(initial);
  const { data, error, loading, reload } = useApi((signal) => eligibility.get(row.ref, asOf, signal), [row.ref, asOf]);
  const explanation = data?.policies.find((p) => p.policy === row.policy);
  const events = useMemo(
    () => (data?.events ?? []).filter((e) => e.policy === row.policy && e.kind === row.kind).reverse(),
    [data, row.policy, row.kind],
  );

  // An adviser (reach 'self' in lead.update) moves only the leads assigned to them, and does not hand them on.
  const isAdviser = reachOf(user.role, 'lead.update') === 'self';
  const assignable = canAssign(row.status, isAdviser);
  const actions = statusActions(row.status, { isAdviser, assignedToMe: row.assignee === user.username });
  // The advisers of the resident's committee (and above it): only those may take the finding.
  const adviserList = useApi(
    (signal) => (assignable ? advisersApi.list(row.committeeCode, signal) : Promise.resolve({ items: [] })),
    [row.committeeCode, assignable],
  );
  const adviserName = (username: string | null) => {
    if (!username) return '—';
    const a = adviserList.data?.items.find((x) => x.username === username);
    return a ? `${a.displayName}（${a.username}）` : username;
  };

  const [adviser, setAdviser] = useState<string | undefined>(row.assignee ?? undefined);
  const [busy, setBusy] = useState<LeadStatus | null>(null);
  const [asking, setAsking] = useState<LeadStatus | null>(null);

  const move = async (status: LeadStatus, extra: { assignee?: string; reason?: string } = {}) => {
    setBusy(status);
    try {
      const next = await leads.update({ ref: row.ref, policy: row.policy, kind: row.kind, status, ...extra });
      setRow(next);
      onChanged(next);
      reload();
      message.success(t('updated', { status: statusName(next.status, lang) }));
      return true;
    } catch (e) {
      message.error(`${t('updateFailed')}：${errorMessage(e)}`);
      return false;
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="lead-detail">
      <Space size={4} wrap>
        <Tag color={row.kind === 'lead' ? 'orange' : 'red'}>
          {row.kind === 'lead' ? t('kindLead') : t('kindReview')}
        </Tag>
        <Tag color={STATUS_COLOR[row.status]} data-testid="lead-status">
          {lang === 'zh' ? row.statusLabel : statusName(row.status, lang)}
        </Tag>
        <span className="tj-mono">{row.idNumberMasked}</span>
        <Typography.Text type="secondary">
          {t('yearsOld', { n: row.age })} · {row.committeeName}
        </Typography.Text>
        {row.monthlyAmountYuan !== null && (
          <Tag color="gold">{t('perMonth', { n: formatNumber(row.monthlyAmountYuan, lang, 2) })}</Tag>
        )}
        {row.newToday && <Tag color="magenta">{t('newToday')}</Tag>}
      </Space>

      <section className="tj-lead-section" aria-labelledby="lead-explanation">
        <h3 id="lead-explanation">{t('explanation')}</h3>
        {error !== null && error !== undefined && !loading ? (
          <ErrorAlert title={t('explanationFailed')} error={error} onRetry={reload} />
        ) : !explanation ? (
          <Skeleton active paragraph={{ rows: 8 }} />
        ) : (
          <ExplanationTree explanation={explanation} testId="lead-explanation" />
        )}
      </section>

      <section className="tj-lead-section" aria-labelledby="lead-workflow">
        <h3 id="lead-workflow">{t('workflow')}</h3>
        <div style={{ marginBottom: 10 }}>
          <Typography.Text type="secondary">{t('currentStatus')}：</Typography.Text>
          <Tag color={STATUS_COLOR[row.status]}>{lang === 'zh' ? row.statusLabel : statusName(row.status, lang)}</Tag>
          {row.assignee && (
            <Typography.Text type="secondary">
              {t('eventAssignee', { name: adviserName(row.assignee) })}
            </Typography.Text>
          )}
          {row.reason && (
            <div>
              <Typography.Text type="secondary">{t('eventReason', { reason: row.reason })}</Typography.Text>
            </div>
          )}
        </div>
        {assignable && (
          <div className="tj-lead-actions" style={{ marginBottom: 10 }}>
            <Select
              style={{ width: 280 }}
              placeholder={t('chooseAdviser')}
              aria-label={t('assignTo')}
              value={adviser}
              onChange={setAdviser}
              loading={adviserList.loading}
              data-testid="adviser-select"
              notFoundContent={adviserList.loading ? undefined : t('noAdvisers')}
              options={(adviserList.data?.items ?? []).map((a) => ({
                value: a.username,
                label: `${a.displayName}（${a.orgName}）`,
              }))}
            />
            <Button
              type="primary"
              disabled={!adviser}
              loading={busy === 'assigned'}
              onClick={() => adviser && move('assigned', { assignee: adviser })}
            >
              {t('assign')}
            </Button>
          </div>
        )}
        {adviserList.error !== null && adviserList.error !== undefined && (
          <div style={{ marginBottom: 10 }}>
            <ErrorAlert title={t('advisersFailed')} error={adviserList.error} onRetry={adviserList.reload} />
          </div>
        )}
        {actions.length > 0 && (
          <div className="tj-lead-actions">
            {actions.map((s) => (
              <Button
                key={s}
                danger={needsReason(s)}
                type={needsReason(s) ? 'default' : 'primary'}
                ghost={!needsReason(s)}
                loading={busy === s}
                disabled={busy !== null && busy !== s}
                onClick={() => (needsReason(s) ? setAsking(s) : void move(s))}
                data-testid={`move-${s}`}
              >
                {t('moveTo', { status: statusName(s, lang) })}
              </Button>
            ))}
          </div>
        )}
        {isAdviser && row.assignee !== user.username && <Alert type="info" showIcon title={t('adviserOnlyMine')} />}
        {isClosed(row.status) && !isAdviser && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('closedHint')}
          </Typography.Paragraph>
        )}
      </section>

      <section className="tj-lead-section" aria-labelledby="lead-history">
        <h3 id="lead-history">{t('history')}</h3>
        {events.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noHistory')} />
        ) : (
          <Timeline
            data-testid="lead-history"
            items={events.map((e, i) => ({
              key: `${e.at}:${i}`,
              color: STATUS_COLOR[e.status] === 'default' ? 'gray' : STATUS_COLOR[e.status],
              content: (
                <div>
                  <div>
                    {t('eventLine', {
                      actor: e.actor,
                      status: lang === 'zh' ? e.statusLabel : statusName(e.status, lang),
                    })}
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatAt(e.at)}
                  </Typography.Text>
                  {e.assignee && (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('eventAssignee', { name: adviserName(e.assignee) })}
                      </Typography.Text>
                    </div>
                  )}
                  {e.reason && (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('eventReason', { reason: e.reason })}
                      </Typography.Text>
                    </div>
                  )}
                </div>
              ),
            }))}
          />
        )}
      </section>

      <ReasonModal
        status={asking}
        onCancel={() => setAsking(null)}
        onSubmit={async (reason) => {
          if (asking && (await move(asking, { reason }))) setAsking(null);
        }}
        busy={busy !== null}
      />
    </div>
  );
}

function ReasonModal({
  status,
  busy,
  onCancel,
  onSubmit,
}: {
  status: LeadStatus | null;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (reason: string) => Promise<void>;
}) {
  const t = useT(leadMessages);
  const { lang } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  useEffect(() => {
    if (status) form.resetFields();
  }, [status, form]);
  const name = status ? statusName(status, lang) : '';
  return (
    <Modal
      open={status !== null}
      title={t('reasonTitle', { status: name })}
      onCancel={onCancel}
      okText={t('confirm')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      onOk={() =>
        form
          .validateFields()
          .then((v) => onSubmit(v.reason.trim()))
          .catch(() => undefined)
      }
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="reason"
          label={t('reasonLabel')}
          rules={[{ required: true, whitespace: true, message: t('reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
