/**
 * One tag: what it means, how it is set (its rule, or by whom), who keeps it, and how many
 * residents carry it in each unit below the user's, as a chart and the same numbers as a table.
 */
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, FunnelPlotOutlined } from '@ant-design/icons';
import {
  App as AntdApp,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Popconfirm,
  Result,
  Row,
  Skeleton,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, errorMessage } from '../../api/client.ts';
import { tags as tagsApi, type AreaCount, type TagDetail } from '../../api/tags.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { levelName } from '../../app/terms.ts';
import { EChart } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatAt } from '../residents/shared.tsx';
import { byAreaOption } from './charts.ts';
import { tagMessages } from './messages.ts';
import { selectionHref } from './selection-url.ts';
import { CategoryTag, SourceLabel, TagChip } from './shared.tsx';
import { TagFormModal } from './TagFormModal.tsx';

export default function TagDetailPage() {
  const { id = '' } = useParams();
  const t = useT(tagMessages);
  const navigate = useNavigate();
  const tagId = Number(id);
  const { data, error, loading, reload } = useApi(
    (signal) =>
      Number.isInteger(tagId) && tagId > 0
        ? tagsApi.get(tagId, undefined, signal)
        : Promise.reject(new ApiError(404, 'TJ_TAG_NOT_FOUND', t('detailNotFound'))),
    [tagId],
  );
  const detail = data && data.id === tagId ? data : undefined;

  if (error && !loading) {
    if (error instanceof ApiError && error.status === 404) {
      return (
        <Result
          status="404"
          title={t('detailNotFound')}
          data-testid="tag-not-found"
          extra={
            <Button type="primary" onClick={() => navigate('/tags')}>
              {t('backToDictionary')}
            </Button>
          }
        />
      );
    }
    return <ErrorAlert title={t('loadFailed')} error={error} onRetry={reload} />;
  }
  if (!detail)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  return <TagView detail={detail} reload={reload} />;
}

function TagView({ detail, reload }: { detail: TagDetail; reload: () => void }) {
  const t = useT(tagMessages);
  const { lang } = useI18n();
  const navigate = useNavigate();
  const { message } = AntdApp.useApp();
  const [editing, setEditing] = useState(false);
  const n = (v: number) => formatNumber(v, lang);
  const option = useMemo(() => byAreaOption(detail.byArea, t('count')), [detail.byArea, t]);

  const onDelete = async () => {
    try {
      await tagsApi.remove(detail.id);
      message.success(t('deleted', { code: detail.code }));
      navigate('/tags', { replace: true });
    } catch (e) {
      message.error(`${t('deleteFailed')}：${errorMessage(e)}`);
    }
  };

  return (
    <div data-testid="tag-detail">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[
          { title: <Link to="/tags">{t('dictTitle')}</Link> },
          { title: detail.ownerName },
          { title: detail.code },
        ]}
      />
      <div className="tj-page-header">
        <div>
          <h1 data-testid="tag-title">
            <TagChip code={detail.code} category={detail.category} />{' '}
            <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 400 }}>
              {detail.ownerName} · {t('asOf', { date: detail.asOf })}
            </Typography.Text>
          </h1>
        </div>
        <Space wrap>
          <Button
            icon={<FunnelPlotOutlined />}
            onClick={() => navigate(selectionHref(detail.code))}
            data-testid="use-in-selection"
          >
            {t('useInSelection')}
          </Button>
          {detail.editable && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('edit')}
            </Button>
          )}
          {detail.editable && (
            <Popconfirm
              title={t('deleteConfirm', { code: detail.code })}
              description={t('deleteHint')}
              onConfirm={onDelete}
              okText={t('delete')}
              cancelText={t('cancel')}
              okButtonProps={{ danger: true }}
            >
              <Button danger icon={<DeleteOutlined />}>
                {t('delete')}
              </Button>
            </Popconfirm>
          )}
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/tags')}>
            {t('backToDictionary')}
          </Button>
        </Space>
      </div>

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('info')} style={{ height: '100%' }}>
            <Statistic
              title={t('count')}
              value={detail.count}
              formatter={(v) => n(Number(v))}
              suffix={t('peopleUnit')}
              style={{ marginBottom: 12 }}
            />
            <Descriptions
              size="small"
              column={1}
              bordered
              styles={{ label: { width: lang === 'zh' ? 96 : 120 } }}
              items={[
                { key: 'category', label: t('category'), children: <CategoryTag category={detail.category} /> },
                { key: 'source', label: t('source'), children: <SourceLabel source={detail.source} /> },
                {
                  key: 'owner',
                  label: t('owner'),
                  children: (
                    <span>
                      {detail.ownerName}{' '}
                      <Typography.Text type="secondary">
                        · {levelName(detail.ownerLevel, lang)} · <span className="tj-mono">{detail.ownerCode}</span>
                      </Typography.Text>
                    </span>
                  ),
                },
                { key: 'description', label: t('description'), children: detail.description },
                {
                  key: 'rule',
                  label: t('rule'),
                  children: detail.rule ? (
                    <code className="tj-mono" data-testid="tag-rule-text" style={{ whiteSpace: 'pre-wrap' }}>
                      {detail.rule}
                    </code>
                  ) : (
                    <Typography.Text type="secondary">{t('noRule')}</Typography.Text>
                  ),
                },
                { key: 'keeper', label: t('keeper'), children: detail.keeper ?? '—' },
                {
                  key: 'created',
                  label: t('created'),
                  children: t('byAt', { by: detail.createdBy, at: formatAt(detail.createdAt) }),
                },
                {
                  key: 'updated',
                  label: t('updated'),
                  children: t('byAt', { by: detail.updatedBy, at: formatAt(detail.updatedAt) }),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={t('byArea')}
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('byAreaHint')}
              </Typography.Text>
            }
          >
            {detail.byArea.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noAreas')} />
            ) : (
              <>
                <EChart
                  option={option}
                  height={detail.byArea.length > 8 ? 320 : 260}
                  testId="tag-by-area-chart"
                  label={`${t('byArea')}：${detail.byArea.map((a) => `${a.name} ${a.count}`).join('，')}`}
                />
                <AreaTable byArea={detail.byArea} />
              </>
            )}
          </Card>
        </Col>
      </Row>

      <TagFormModal
        open={editing}
        tag={detail}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          reload();
        }}
      />
    </div>
  );
}

function AreaTable({ byArea }: { byArea: AreaCount[] }) {
  const t = useT(tagMessages);
  const { lang } = useI18n();
  const total = byArea.reduce((s, a) => s + a.count, 0);
  return (
    <Table<AreaCount>
      size="small"
      rowKey="code"
      dataSource={byArea}
      pagination={byArea.length > 12 ? { pageSize: 12, size: 'small' } : false}
      style={{ marginTop: 8 }}
      data-testid="tag-by-area-table"
      columns={[
        { title: t('area'), dataIndex: 'name', key: 'name' },
        {
          title: t('areaCode'),
          dataIndex: 'code',
          key: 'code',
          render: (v: string) => <span className="tj-mono">{v}</span>,
        },
        {
          title: t('count'),
          dataIndex: 'count',
          key: 'count',
          align: 'right',
          sorter: (a, b) => a.count - b.count,
          render: (v: number) => formatNumber(v, lang),
        },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={2}>
            <b>{t('total')}</b>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <b>{formatNumber(total, lang)}</b>
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}
