/**
 * 人群圈选: select residents by a boolean expression over tags, built visually or typed, with a
 * live count as it changes. "查看名单" applies it (the list is audited, so it is not fetched on
 * every keystroke); the list can be ranked by how many of chosen tags each person carries, so
 * people with several hardships come first, exported, tagged in bulk, saved for later.
 */
import { DownloadOutlined, TagsOutlined, UnorderedListOutlined } from '@ant-design/icons';
import {
  App as AntdApp,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableProps,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { saveBlob } from '../../api/download.ts';
import { selections, type CountResult, type SelectionResult, type SelectionRow } from '../../api/tags.ts';
import { useApi } from '../../api/useApi.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { useUser } from '../../app/SessionProvider.tsx';
import { valueName } from '../../app/terms.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { BulkAssignModal } from './BulkAssignModal.tsx';
import { areaShares, MULTI_TAG_RANK, rankSummary } from './charts.ts';
import { allTags, canCreateTags, categoryColor, codesOf, manualTags, tagOptions } from './dictionary.ts';
import { EMPTY_MODEL, printBuilder, readExpression, type BuilderModel } from './expression.ts';
import { tagMessages } from './messages.ts';
import { SaveSelectionButton, SavedSelectionsCard } from './SavedSelections.tsx';
import { SelectionBuilder } from './SelectionBuilder.tsx';
import {
  appliedFromSearch,
  appliedToSearch,
  queryRequest,
  SELECTION_PAGE_SIZES,
  type AppliedSelection,
} from './selection-url.ts';
import { ExpressionErrorView, TagChip, useDictionary } from './shared.tsx';

const LIVE_COUNT_DELAY_MS = 250;

type LiveCount =
  | { status: 'idle' }
  | { status: 'loading'; text: string; last: CountResult | null }
  | { status: 'ok'; text: string; result: CountResult }
  | { status: 'error'; text: string; error: unknown };

/**
 * The count of `text`, asked a short pause after the last change. Answers to older texts are
 * dropped (a slow answer must not overwrite a newer one); `nonce` asks again (after tagging).
 */
function useLiveCount(text: string, nonce: number): LiveCount {
  const [state, setState] = useState<LiveCount>({ status: 'idle' });
  const latest = useRef(0);
  useEffect(() => {
    const mine = ++latest.current;
    if (text.trim() === '') {
      setState({ status: 'idle' });
      return undefined;
    }
    setState((s) => ({
      status: 'loading',
      text,
      last: s.status === 'ok' ? s.result : s.status === 'loading' ? s.last : null,
    }));
    const timer = setTimeout(() => {
      selections.count(text).then(
        (result) => {
          if (latest.current === mine) setState({ status: 'ok', text, result });
        },
        (error: unknown) => {
          if (latest.current === mine) setState({ status: 'error', text, error });
        },
      );
    }, LIVE_COUNT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, nonce]);
  return state;
}

export default function SelectionPage() {
  const t = useT(tagMessages);
  const user = useUser();
  const { message } = AntdApp.useApp();
  const [search, setSearch] = useSearchParams();
  const applied = useMemo(() => appliedFromSearch(search), [search]);
  const dictionary = useDictionary();
  const levels = useMemo(() => dictionary.data?.levels ?? [], [dictionary.data]);
  const options = useMemo(() => tagOptions(levels), [levels]);

  // The text is the selection; the builder follows it when it can show it, and writes it when used.
  const [text, setText] = useState(applied?.expression ?? '');
  const [model, setModel] = useState<BuilderModel>(() => {
    const shape = readExpression(applied?.expression ?? '');
    return shape.status === 'builder' || shape.status === 'empty' ? shape.model : EMPTY_MODEL;
  });
  const shape = useMemo(() => readExpression(text), [text]);
  const [rank, setRank] = useState<string[]>([...(applied?.rank ?? [])]);

  const typeText = useCallback((next: string) => {
    setText(next);
    const s = readExpression(next);
    if (s.status === 'builder' || s.status === 'empty') setModel(s.model);
  }, []);
  const build = (next: BuilderModel) => {
    setModel(next);
    setText(printBuilder(next));
  };

  // A selection opened by URL (Back, a tag's "用于人群圈选", a reload) replaces what is in the boxes.
  const shown = useRef(applied?.expression ?? '');
  useEffect(() => {
    if (applied && applied.expression !== shown.current) {
      shown.current = applied.expression;
      typeText(applied.expression);
      setRank([...applied.rank]);
    }
  }, [applied, typeText]);

  const [countNonce, setCountNonce] = useState(0);
  const live = useLiveCount(text, countNonce);

  const result = useApi<SelectionResult | null>(
    () => (applied ? selections.query(queryRequest(applied)) : Promise.resolve(null)),
    [applied ? appliedToSearch(applied).toString() : ''],
  );
  const list = applied ? (result.data ?? null) : null;
  const categories = useMemo(() => new Map(allTags(levels).map((x) => [x.code, x.category])), [levels]);

  const apply = (patch: Partial<AppliedSelection> = {}) => {
    const expression = (patch.expression ?? applied?.expression ?? text).trim();
    if (expression === '') return;
    const next: AppliedSelection = {
      expression,
      rank: patch.rank ?? rank,
      page: patch.page ?? 1,
      pageSize: patch.pageSize ?? applied?.pageSize ?? SELECTION_PAGE_SIZES[0],
    };
    const same = applied !== null && appliedToSearch(next).toString() === appliedToSearch(applied).toString();
    shown.current = expression;
    if (same) result.reload();
    else setSearch(appliedToSearch(next));
  };
  const showList = () => apply({ expression: text, rank, page: 1 });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      showList();
    }
  };
  const onRankChange = (next: string[]) => {
    setRank(next);
    if (applied) apply({ rank: next, page: 1 });
  };

  const saved = useApi((signal) => selections.saved(signal), []);
  const loadSaved = (s: { name: string; expression: string; rank: string[] }) => {
    typeText(s.expression);
    setRank([...s.rank]);
    apply({ expression: s.expression, rank: s.rank, page: 1 });
    message.success(t('loaded', { name: s.name }));
  };

  const [exporting, setExporting] = useState(false);
  const onExport = async () => {
    if (!applied || !list) return;
    setExporting(true);
    try {
      const { blob, filename } = await selections.export({
        expression: applied.expression,
        rank: [...applied.rank],
        asOf: list.asOf,
      });
      const name = filename ?? `selection-${list.asOf}.xlsx`;
      saveBlob(blob, name);
      message.success(t('exported', { file: name }));
    } catch (e) {
      message.error(`${t('exportFailed')}：${errorMessage(e)}`);
    } finally {
      setExporting(false);
    }
  };

  const [bulkOpen, setBulkOpen] = useState(false);
  const manual = useMemo(() => manualTags(levels), [levels]);
  const stale = applied !== null && text.trim() !== '' && text.trim() !== applied.expression;

  return (
    <div data-testid="selection-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('selTitle')}</h1>
          <span className="tj-page-sub">{t('selSubtitle', { org: user.orgName })}</span>
        </div>
        <SaveSelectionButton
          expression={text.trim()}
          rank={rank}
          disabled={text.trim() === '' || live.status === 'error'}
          onSaved={saved.reload}
        />
      </div>

      {dictionary.error !== null && dictionary.error !== undefined && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('loadFailed')} error={dictionary.error} onRetry={dictionary.reload} />
        </div>
      )}

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('conditions')} style={{ height: '100%' }}>
            <SelectionBuilder
              model={model}
              shape={shape.status}
              options={options}
              onChange={build}
              onRestart={() => typeText('')}
            />
            <div style={{ marginTop: 16 }}>
              <label htmlFor="selection-expression" style={{ display: 'block', fontWeight: 600, marginBottom: 4 }}>
                {t('expression')}
              </label>
              <Input.TextArea
                id="selection-expression"
                className="tj-expr-input tj-mono"
                value={text}
                onChange={(e) => typeText(e.target.value)}
                onKeyDown={onKeyDown}
                autoSize={{ minRows: 2, maxRows: 5 }}
                maxLength={2000}
                placeholder={t('expressionPlaceholder')}
                spellCheck={false}
                status={live.status === 'error' ? 'error' : undefined}
                aria-describedby="selection-expression-help"
                data-testid="selection-expression"
              />
              {live.status === 'error' ? (
                <ExpressionErrorView error={live.error} text={live.text} testId="selection-error" />
              ) : (
                <Typography.Text
                  id="selection-expression-help"
                  type="secondary"
                  style={{ display: 'block', marginTop: 4, fontSize: 12 }}
                >
                  {t('expressionHint')}
                </Typography.Text>
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <LiveCountCard live={live} text={text} onShowList={showList} />
            <SavedSelectionsCard saved={saved} onLoad={loadSaved} />
          </Space>
        </Col>

        <Col span={24}>
          <Card
            size="small"
            title={
              <span>
                <UnorderedListOutlined /> {t('results')}
              </span>
            }
            data-testid="selection-results"
            extra={
              <Space wrap>
                {stale && (
                  <Tag color="warning" variant="filled" data-testid="results-stale">
                    {t('stale')}
                  </Tag>
                )}
                <Button
                  icon={<DownloadOutlined />}
                  disabled={!list || list.count === 0}
                  loading={exporting}
                  onClick={onExport}
                  data-testid="selection-export"
                >
                  {t('export')}
                </Button>
                {canCreateTags(user.role) && (
                  <Button
                    icon={<TagsOutlined />}
                    disabled={!list || list.count === 0}
                    onClick={() => setBulkOpen(true)}
                    data-testid="bulk-tag-open"
                  >
                    {t('bulkTag')}
                  </Button>
                )}
              </Space>
            }
          >
            <div className="tj-filters" style={{ marginBottom: 8 }}>
              <Typography.Text strong>{t('rankTags')}</Typography.Text>
              <Select<string[]>
                mode="multiple"
                allowClear
                style={{ minWidth: 320, maxWidth: 640, flex: '1 1 320px' }}
                placeholder={t('rankPlaceholder')}
                aria-label={t('rankTags')}
                value={rank}
                onChange={onRankChange}
                maxCount={20}
                showSearch={{ optionFilterProp: 'value' }}
                options={options.map((g) => ({
                  label: g.label,
                  title: g.title,
                  options: g.options.map((o) => ({ value: o.value, label: o.label })),
                }))}
                tagRender={({ value, closable, onClose }) => (
                  <Tag
                    color={categoryColor(categories.get(String(value)) ?? '')}
                    closable={closable}
                    onClose={onClose}
                    style={{ marginInlineEnd: 4 }}
                  >
                    {String(value)}
                  </Tag>
                )}
                data-testid="rank-tags"
              />
              <Button size="small" type="link" onClick={() => onRankChange(codesOf(levels, '救助类'))}>
                {t('rankAllHardship')}
              </Button>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('rankTagsHint')}
              </Typography.Text>
            </div>
            {result.error !== null && result.error !== undefined && (
              <div style={{ marginBottom: 12 }}>
                <ErrorAlert title={t('queryFailed')} error={result.error} onRetry={result.reload} />
              </div>
            )}
            {!applied ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resultsEmpty')} />
            ) : (
              <ResultsTable
                applied={applied}
                list={list}
                loading={result.loading}
                categories={categories}
                onPage={(page, pageSize) => apply({ page: pageSize !== applied.pageSize ? 1 : page, pageSize })}
              />
            )}
          </Card>
        </Col>
      </Row>

      {list && applied && (
        <BulkAssignModal
          open={bulkOpen}
          expression={applied.expression}
          asOf={list.asOf}
          count={list.count}
          manualTags={manual}
          onClose={(changed) => {
            setBulkOpen(false);
            if (changed) {
              result.reload();
              setCountNonce((x) => x + 1);
              dictionary.reload();
            }
          }}
        />
      )}
    </div>
  );
}

function LiveCountCard({ live, text, onShowList }: { live: LiveCount; text: string; onShowList: () => void }) {
  const t = useT(tagMessages);
  const { lang } = useI18n();
  const shownResult = live.status === 'ok' ? live.result : live.status === 'loading' ? live.last : null;
  const areas = shownResult ? areaShares(shownResult.byArea) : null;
  const normalised = live.status === 'ok' && live.result.expression !== text.trim() ? live.result.expression : null;
  return (
    <Card
      size="small"
      title={t('liveCount')}
      className="tj-live-count"
      data-testid="live-count"
      data-state={live.status}
      data-expression={live.status === 'idle' ? '' : live.text}
      extra={live.status === 'loading' ? <Spin size="small" aria-label={t('counting')} /> : null}
    >
      {live.status === 'idle' ? (
        <Typography.Text type="secondary">{t('liveCountEmpty')}</Typography.Text>
      ) : (
        <>
          <div style={{ display: 'flex', alignItems: 'flex-end', justifyContent: 'space-between', gap: 8 }}>
            <Statistic
              title={t('matches')}
              value={live.status === 'error' ? '—' : (shownResult?.count ?? '—')}
              formatter={(v) => (typeof v === 'number' ? formatNumber(v, lang) : String(v))}
              suffix={shownResult && live.status !== 'error' ? t('peopleUnit') : ''}
              styles={{ content: { opacity: live.status === 'loading' ? 0.45 : 1 } }}
              data-testid="live-count-value"
            />
            <Button
              type="primary"
              icon={<UnorderedListOutlined />}
              disabled={live.status === 'error' || text.trim() === ''}
              onClick={onShowList}
              data-testid="show-list"
            >
              {t('showList')}
            </Button>
          </div>
          {normalised && (
            <Typography.Text
              type="secondary"
              style={{ fontSize: 12, display: 'block', marginTop: 4, wordBreak: 'break-all' }}
            >
              {t('normalised', { expression: normalised })}
            </Typography.Text>
          )}
          {live.status === 'error' && (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {t('invalid')}
            </Typography.Text>
          )}
          {areas && live.status !== 'error' && areas.shares.length > 0 && (
            <>
              <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
                {t('countByArea')}
              </Typography.Text>
              <ul className="tj-area-bars" data-testid="live-count-areas">
                {areas.shares.map((a) => (
                  <li key={a.code}>
                    <span className="tj-area-name" title={a.name}>
                      {a.name}
                    </span>
                    <span className="tj-area-bar" aria-hidden>
                      <span style={{ width: `${Math.max(2, Math.round(a.share * 100))}%` }} />
                    </span>
                    <span className="tj-area-n">{formatNumber(a.count, lang)}</span>
                  </li>
                ))}
              </ul>
              {areas.empty > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                  {t('moreAreas', { n: areas.empty })}
                </Typography.Text>
              )}
            </>
          )}
        </>
      )}
    </Card>
  );
}

function ResultsTable({
  applied,
  list,
  loading,
  categories,
  onPage,
}: {
  applied: AppliedSelection;
  list: SelectionResult | null;
  loading: boolean;
  categories: ReadonlyMap<string, string>;
  onPage: (page: number, pageSize: number) => void;
}) {
  const t = useT(tagMessages);
  const { lang } = useI18n();
  const ranked = applied.rank.length > 0;
  const summary = rankSummary(list?.byRank ?? null);

  const columns: TableProps<SelectionRow>['columns'] = [
    {
      title: t('name'),
      dataIndex: 'name',
      key: 'name',
      width: 110,
      render: (name: string, r) => <Link to={`/residents/${r.ref}`}>{name}</Link>,
    },
    {
      title: t('idNumber'),
      dataIndex: 'idNumberMasked',
      key: 'id',
      width: 190,
      render: (v: string) => <span className="tj-mono">{v}</span>,
    },
    { title: t('gender'), dataIndex: 'gender', key: 'gender', width: 70, render: (v: string) => valueName(v, lang) },
    { title: t('age'), dataIndex: 'age', key: 'age', width: 70, align: 'right' },
    { title: t('committee'), dataIndex: 'committeeName', key: 'committee', ellipsis: true },
    ...(ranked
      ? [
          {
            title: t('rank'),
            dataIndex: 'rank',
            key: 'rank',
            width: 84,
            align: 'center' as const,
            render: (v: number) => (
              <span
                className={`tj-rank${v >= MULTI_TAG_RANK ? ' tj-rank-multi' : v === 1 ? ' tj-rank-1' : ''}`}
                data-testid="row-rank"
              >
                {v}
              </span>
            ),
          },
          {
            title: t('rankCarried'),
            dataIndex: 'rankTags',
            key: 'rankTags',
            width: 280,
            render: (codes: string[]) =>
              codes.length === 0 ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                codes.map((c) => <TagChip key={c} code={c} category={categories.get(c) ?? ''} />)
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      {ranked && list && summary.length > 0 && (
        <div className="tj-rank-stats" data-testid="rank-summary">
          {summary.map((s) => (
            <Tooltip key={s.rank} title={s.rank >= MULTI_TAG_RANK ? t('multiTagHint') : undefined}>
              <div className={`tj-rank-stat${s.rank >= MULTI_TAG_RANK ? ' tj-rank-stat-multi' : ''}`}>
                {s.rank === 0 ? t('byRankNone') : t('byRank', { r: s.rank })}
                <b>{formatNumber(s.people, lang)}</b> {t('peopleUnit')}
              </div>
            </Tooltip>
          ))}
        </div>
      )}
      <Table<SelectionRow>
        rowKey="ref"
        size="middle"
        columns={columns}
        dataSource={list?.rows ?? []}
        loading={loading}
        locale={{ emptyText: t('noMatches') }}
        data-testid="selection-table"
        rowClassName={(r) => (ranked && r.rank >= MULTI_TAG_RANK ? 'tj-row-multi' : '')}
        pagination={{
          current: applied.page,
          pageSize: applied.pageSize,
          total: list?.count ?? 0,
          showSizeChanger: true,
          pageSizeOptions: SELECTION_PAGE_SIZES.map(String),
          showTotal: () => (list ? t('resultTotal', { n: formatNumber(list.count, lang) }) : ''),
          onChange: onPage,
        }}
        scroll={{ x: 900 }}
      />
    </>
  );
}
