/**
 * 标签字典: the tags the user's unit may use, as a tree of the levels above it (city → district →
 * street → committee), each with its tags' category, source and count in the user's area. Lower
 * levels see, and use, the tags above them but change only their own unit's.
 */
import { EditOutlined, LockOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Select, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { TAG_CATEGORIES, TAG_SOURCES, type TagCategory, type TagSource, type TagView } from '../../api/tags.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { useUser } from '../../app/SessionProvider.tsx';
import { levelName } from '../../app/terms.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  canCreateTags,
  categoryName,
  dictionaryTree,
  sourceName,
  type DictionaryFilter,
  type DictionaryRow,
} from './dictionary.ts';
import { tagMessages } from './messages.ts';
import { CategoryTag, SourceLabel, TagChip, useDictionary } from './shared.tsx';
import { TagFormModal } from './TagFormModal.tsx';

export default function TagDictionaryPage() {
  const t = useT(tagMessages);
  const { lang } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useDictionary();
  const [filter, setFilter] = useState<DictionaryFilter>({ q: '', category: null, source: null });
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState<TagView | 'new' | null>(null);

  const rows = useMemo(() => (data ? dictionaryTree(data.levels, filter) : []), [data, filter]);
  // Every level open unless the user folded it: the tree is short (four levels at most).
  const expanded = rows.map((r) => r.key).filter((k) => !collapsed.has(k));

  const columns: TableProps<DictionaryRow>['columns'] = [
    {
      title: t('tag'),
      key: 'tag',
      width: 280,
      render: (_: unknown, r) =>
        r.kind === 'level' ? (
          <span className="tj-dict-level" data-testid={`level-${r.level.code}`}>
            {r.level.name} <Tag variant="filled">{levelName(r.level.level, lang)}</Tag>
            {r.level.code === user.orgCode && (
              <Tag color="blue" variant="filled">
                {t('yourUnit')}
              </Tag>
            )}
            <Typography.Text type="secondary" style={{ fontWeight: 400, fontSize: 12 }}>
              {t('tagsAtLevel', { n: r.total })}
            </Typography.Text>
          </span>
        ) : (
          <Link to={`/tags/${r.tag.id}`} onClick={(e) => e.stopPropagation()} data-testid="tag-link">
            <TagChip code={r.tag.code} category={r.tag.category} />
          </Link>
        ),
    },
    {
      title: t('category'),
      key: 'category',
      width: 100,
      render: (_: unknown, r) => (r.kind === 'tag' ? <CategoryTag category={r.tag.category} /> : null),
    },
    {
      title: t('source'),
      key: 'source',
      width: 110,
      render: (_: unknown, r) => (r.kind === 'tag' ? <SourceLabel source={r.tag.source} /> : null),
    },
    {
      title: t('description'),
      key: 'description',
      ellipsis: true,
      render: (_: unknown, r) => (r.kind === 'tag' ? r.tag.description : null),
    },
    {
      title: t('keeper'),
      key: 'keeper',
      width: 120,
      ellipsis: true,
      render: (_: unknown, r) => (r.kind === 'tag' ? (r.tag.keeper ?? '—') : null),
    },
    {
      title: t('count'),
      key: 'count',
      width: 110,
      align: 'right',
      render: (_: unknown, r) =>
        r.kind === 'tag' ? (
          <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatNumber(r.tag.count, lang)}</span>
        ) : null,
    },
    {
      title: '',
      key: 'actions',
      width: 84,
      align: 'center',
      render: (_: unknown, r) => {
        if (r.kind !== 'tag') return null;
        if (r.tag.editable) {
          return (
            <Button
              size="small"
              type="link"
              icon={<EditOutlined />}
              onClick={(e) => {
                e.stopPropagation();
                setEditing(r.tag);
              }}
            >
              {t('edit')}
            </Button>
          );
        }
        return (
          <Tooltip title={t('readOnly', { owner: r.tag.ownerName })}>
            <LockOutlined style={{ color: '#9aa5b1' }} aria-label={t('readOnly', { owner: r.tag.ownerName })} />
          </Tooltip>
        );
      },
    },
  ];

  return (
    <div data-testid="tags-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('dictTitle')}</h1>
          <span className="tj-page-sub">
            {t('dictSubtitle', { org: user.orgName })}
            {data && <> · {t('asOf', { date: data.asOf })}</>}
          </span>
        </div>
        {canCreateTags(user.role) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-tag">
            {t('newTag')}
          </Button>
        )}
      </div>

      <div className="tj-filters" role="search">
        <Input
          style={{ width: 240 }}
          allowClear
          prefix={<SearchOutlined aria-hidden />}
          placeholder={t('searchTags')}
          aria-label={t('searchTags')}
          value={filter.q}
          onChange={(e) => setFilter({ ...filter, q: e.target.value })}
          data-testid="tag-search"
        />
        <Select<TagCategory>
          style={{ width: 140 }}
          allowClear
          placeholder={t('allCategories')}
          aria-label={t('category')}
          value={filter.category ?? undefined}
          onChange={(v) => setFilter({ ...filter, category: v ?? null })}
          options={TAG_CATEGORIES.map((c) => ({ value: c, label: categoryName(c, lang) }))}
        />
        <Select<TagSource>
          style={{ width: 140 }}
          allowClear
          placeholder={t('allSources')}
          aria-label={t('source')}
          value={filter.source ?? undefined}
          onChange={(v) => setFilter({ ...filter, source: v ?? null })}
          options={TAG_SOURCES.map((s) => ({ value: s, label: sourceName(s, lang) }))}
        />
      </div>

      {error !== null && error !== undefined && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('loadFailed')} error={error} onRetry={reload} />
        </div>
      )}

      <Card size="small">
        <Alert type="info" showIcon title={t('dictLegend')} style={{ marginBottom: 12 }} />
        <Table<DictionaryRow>
          size="middle"
          rowKey="key"
          loading={loading}
          dataSource={rows}
          columns={columns}
          pagination={false}
          locale={{ emptyText: t('noTags') }}
          data-testid="tag-tree"
          expandable={{
            expandedRowKeys: expanded,
            onExpand: (open, r) =>
              setCollapsed((s) => {
                const next = new Set(s);
                if (open) next.delete(r.key);
                else next.add(r.key);
                return next;
              }),
          }}
          rowClassName={(r) => (r.kind === 'tag' ? 'tj-clickable-row' : '')}
          onRow={(r) => (r.kind === 'tag' ? { onClick: () => navigate(`/tags/${r.tag.id}`) } : {})}
          scroll={{ x: 900 }}
        />
      </Card>

      <TagFormModal
        open={editing !== null}
        tag={editing !== null && editing !== 'new' ? editing : undefined}
        onClose={() => setEditing(null)}
        onSaved={(saved) => {
          setEditing(null);
          reload();
          if (editing === 'new') navigate(`/tags/${saved.id}`);
        }}
      />
    </div>
  );
}
