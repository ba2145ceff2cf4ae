/**
 * 评估框架 (district admins): the versions (the shipped one is version 1; the latest published is
 * in use), a draft edited in place — weights per indicator with the live sum check, conditions
 * checked as they are typed (the error's position underlined), k — then 预览影响 (bands before and
 * after, the band changes, each street's H, A and M0) and 发布 with a confirmation.
 */
import { ArrowLeftOutlined, EyeOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntdApp,
  Button,
  Card,
  Col,
  DatePicker,
  Input,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { EChartsCoreOption } from 'echarts/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import {
  assessment,
  BANDS,
  type Band,
  type FrameworkCheck,
  type FrameworkDefinition,
  type FrameworkPreview,
  type FrameworkVersionDetail,
  type FrameworkVersionRow,
} from '../../api/assessment.ts';
import { errorMessage } from '../../api/client.ts';
import { useApi } from '../../api/useApi.ts';
import { today } from '../../app/clock.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { EChart } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { decimal, fraction, groupByDimension, percent } from './figures.ts';
import {
  checkWeights,
  definitionToSend,
  dimensionWeights,
  parseK,
  parseWeight,
  splitAtError,
  withIndicator,
} from './framework-edit.ts';
import { assessmentMessages } from './messages.ts';
import { BAND_CHART_COLORS, bandName, dimensionName, indicatorName } from './names.ts';
import { BandTag } from './shared.tsx';
import './assessment.css';

type Indicator = FrameworkDefinition['indicators'][number];
interface Row extends Indicator {
  dimensionLabel: string;
  dimensionWeight: number;
  span: number;
}

export default function FrameworkEditorPage() {
  const t = useT(assessmentMessages);
  const { lang } = useI18n();
  const { message, modal } = AntdApp.useApp();
  const versions = useApi((signal) => assessment.versions(signal), []);
  const list = versions.data;
  const draftRow = list?.items.find((x) => x.status === 'draft');
  // The version shown: the draft when there is one, else the one in use (or the one chosen in the list).
  const [chosen, setChosen] = useState<number | null>(null);
  const shown = chosen ?? draftRow?.version ?? list?.inUse.version ?? null;
  const detail = useApi(
    (signal) => (shown === null ? Promise.resolve(undefined) : assessment.version(shown, signal)),
    [shown],
  );
  const [def, setDef] = useState<FrameworkDefinition | null>(null);
  const [dirty, setDirty] = useState(false);
  const [loadedFrom, setLoadedFrom] = useState<FrameworkVersionDetail | null>(null);
  // A newly loaded version replaces what the editor holds (a save's answer replaces only loadedFrom).
  const [seen, setSeen] = useState<FrameworkVersionDetail | undefined>(undefined);
  if (detail.data !== seen) {
    setSeen(detail.data);
    if (detail.data && detail.data.version === shown) {
      setLoadedFrom(detail.data);
      setDef(detail.data.definition);
      setDirty(false);
    }
  }
  const current = loadedFrom && loadedFrom.version === shown ? loadedFrom : null;
  const editable = current?.status === 'draft';

  // The server's check of what is typed (conditions with positions, k, weights), a moment after the last keystroke.
  const [check, setCheck] = useState<FrameworkCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const sent = useRef(0);
  useEffect(() => {
    if (!def || !editable) {
      setCheck(null);
      return;
    }
    const n = ++sent.current;
    setChecking(true);
    const timer = setTimeout(() => {
      assessment.check(definitionToSend(def)).then(
        (c) => {
          if (sent.current === n) {
            setCheck(c);
            setChecking(false);
          }
        },
        () => {
          if (sent.current === n) setChecking(false);
        },
      );
    }, 350);
    return () => clearTimeout(timer);
  }, [def, editable]);

  const [busy, setBusy] = useState<null | 'create' | 'save' | 'preview' | 'publish'>(null);
  const [preview, setPreview] = useState<FrameworkPreview | null>(null);
  const [previewDate, setPreviewDate] = useState<string>(today());

  const change = useCallback((patch: (d: FrameworkDefinition) => FrameworkDefinition) => {
    setDef((d) => (d ? patch(d) : d));
    setDirty(true);
    setPreview(null);
  }, []);

  const weights = def ? checkWeights(def.indicators) : null;
  const k = def ? parseK(def.k) : null;
  const dims = useMemo(() => (def ? dimensionWeights(def) : {}), [def]);
  const ruleIssues = useMemo(
    () =>
      new Map(
        (check?.errors ?? []).filter((e) => e.indicator !== null && e.start !== null).map((e) => [e.indicator!, e]),
      ),
    [check],
  );
  const otherIssues = (check?.errors ?? []).filter(
    (e) => !(e.indicator !== null && e.start !== null) && e.where !== 'weights' && e.where !== 'k',
  );
  const localOk = !!weights?.ok && k !== null;
  const canSubmit = editable && localOk && (check === null || check.ok);

  const rows: Row[] = def
    ? groupByDimension(
        def.dimensions.map((d) => ({ ...d, weight: dims[d.code] ?? 0 })),
        def.indicators,
      ).flatMap((g) =>
        g.items.map((x, i) => ({
          ...x,
          dimensionLabel: dimensionName(g.code, lang, g.name),
          dimensionWeight: dims[g.code] ?? 0,
          span: i === 0 ? g.items.length : 0,
        })),
      )
    : [];

  const reloadAll = (version: number) => {
    setChosen(version);
    versions.reload();
    detail.reload();
  };

  const onCreate = async () => {
    setBusy('create');
    try {
      const d = await assessment.createDraft();
      setLoadedFrom(null);
      reloadAll(d.version);
    } catch (e) {
      message.error(`${t('saveFailed')}：${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  /** Saves the draft when it changed; false when the server refused it. */
  const save = async (quiet = false): Promise<boolean> => {
    if (!def || !current) return false;
    if (!dirty) return true;
    try {
      const d = await assessment.updateDraft(current.version, definitionToSend(def));
      setLoadedFrom(d);
      setDirty(false);
      if (!quiet) message.success(t('saved'));
      return true;
    } catch (e) {
      message.error(`${t('saveFailed')}：${errorMessage(e)}`);
      return false;
    }
  };

  const onSave = async () => {
    setBusy('save');
    try {
      await save();
    } finally {
      setBusy(null);
    }
  };

  const onPreview = async () => {
    if (!current) return;
    setBusy('preview');
    try {
      if (!(await save(true))) return;
      setPreview(await assessment.preview(current.version, previewDate));
    } catch (e) {
      message.error(`${t('previewFailed')}：${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const onPublish = () => {
    if (!current) return;
    modal.confirm({
      title: t('publishConfirm', { n: current.version }),
      content: t('publishConfirmText'),
      okText: t('publish'),
      cancelText: t('cancel'),
      okButtonProps: { ...({ 'data-testid': 'confirm-publish' } as Record<`data-${string}`, string>) },
      onOk: async () => {
        setBusy('publish');
        try {
          if (!(await save(true))) return;
          const d = await assessment.publish(current.version);
          message.success(t('publishedOk', { n: d.version }));
          setPreview(null);
          setLoadedFrom(d);
          reloadAll(d.version);
        } catch (e) {
          message.error(`${t('publishFailed')}：${errorMessage(e)}`);
        } finally {
          setBusy(null);
        }
      },
    });
  };

  const statusTags = (r: FrameworkVersionRow) => (
    <Space size={4}>
      {r.status === 'draft' ? <Tag color="blue">{t('draft')}</Tag> : <Tag>{t('published')}</Tag>}
      {r.inUse && (
        <Tag color="green" data-testid="in-use">
          {t('inUse')}
        </Tag>
      )}
      {r.source === 'file' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('shipped')}
        </Typography.Text>
      )}
    </Space>
  );

  return (
    <div data-testid="framework-editor">
      <div className="tj-page-header">
        <div>
          <h1>{t('frameworkEditorTitle')}</h1>
          {list && (
            <span className="tj-page-sub" data-testid="framework-in-use">
              {t('frameworkEditorSub', { version: list.inUse.version })}
            </span>
          )}
        </div>
        <Link to="/assessment">
          <Button icon={<ArrowLeftOutlined />}>{t('back')}</Button>
        </Link>
      </div>

      {versions.error !== null && versions.error !== undefined && !versions.loading && (
        <ErrorAlert title={t('versionsFailed')} error={versions.error} onRetry={versions.reload} />
      )}

      <Row gutter={[12, 12]}>
        <Col span={24}>
          <Card
            size="small"
            title={t('versions')}
            extra={
              draftRow ? (
                <Typography.Text type="secondary">{t('draftExists', { n: draftRow.version })}</Typography.Text>
              ) : (
                <Button
                  size="small"
                  type="primary"
                  icon={<PlusOutlined />}
                  loading={busy === 'create'}
                  disabled={!list}
                  onClick={onCreate}
                  data-testid="new-draft"
                >
                  {t('newDraft')}
                </Button>
              )
            }
          >
            <Table<FrameworkVersionRow>
              size="small"
              rowKey="version"
              pagination={false}
              dataSource={list?.items ?? []}
              loading={versions.loading && !list}
              data-testid="framework-versions"
              rowClassName={(r) => (r.version === shown ? 'tj-row-selected' : '')}
              columns={[
                {
                  title: t('version'),
                  dataIndex: 'version',
                  key: 'version',
                  width: 90,
                  render: (v: number) => t('versionN', { n: v }),
                },
                { title: t('frameworkName'), dataIndex: 'name', key: 'name', ellipsis: true },
                { title: t('statusCol'), key: 'status', width: 220, render: (_: unknown, r) => statusTags(r) },
                {
                  title: t('createdBy'),
                  key: 'created',
                  width: 200,
                  render: (_: unknown, r) =>
                    `${r.createdBy}${r.createdAt ? ` · ${dayjs(r.createdAt).format('YYYY-MM-DD HH:mm')}` : ''}`,
                },
                {
                  title: t('publishedByCol'),
                  key: 'published',
                  width: 200,
                  render: (_: unknown, r) =>
                    r.status === 'published'
                      ? `${r.publishedBy ?? ''}${r.publishedAt ? ` · ${dayjs(r.publishedAt).format('YYYY-MM-DD HH:mm')}` : ''}`
                      : '—',
                },
                {
                  title: '',
                  key: 'open',
                  width: 80,
                  render: (_: unknown, r) => (
                    <Button
                      size="small"
                      type="link"
                      onClick={() => {
                        setChosen(r.version);
                        setPreview(null);
                        setDirty(false);
                      }}
                    >
                      {r.status === 'draft' ? t('edit') : t('view')}
                    </Button>
                  ),
                },
              ]}
            />
          </Card>
        </Col>

        <Col span={24}>
          <Card
            size="small"
            data-testid="framework-draft"
            title={
              current
                ? editable
                  ? t('editing', { n: current.version })
                  : t('viewing', { n: current.version })
                : t('frameworkEditor')
            }
            extra={
              editable && (
                <Space wrap>
                  <Button
                    icon={<SaveOutlined />}
                    loading={busy === 'save'}
                    disabled={!canSubmit || !dirty}
                    onClick={onSave}
                    data-testid="save-draft"
                  >
                    {t('saveDraft')}
                  </Button>
                  <Space size={4}>
                    <Typography.Text type="secondary">{t('previewDate')}</Typography.Text>
                    <DatePicker
                      size="small"
                      allowClear={false}
                      aria-label={t('previewDate')}
                      value={dayjs(previewDate)}
                      onChange={(d) => {
                        if (d) {
                          setPreviewDate(d.format('YYYY-MM-DD'));
                          setPreview(null);
                        }
                      }}
                      data-testid="preview-date"
                    />
                  </Space>
                  <Button
                    icon={<EyeOutlined />}
                    loading={busy === 'preview'}
                    disabled={!canSubmit}
                    onClick={onPreview}
                    data-testid="preview-impact"
                  >
                    {t('previewImpact')}
                  </Button>
                  <Button
                    type="primary"
                    icon={<SendOutlined />}
                    loading={busy === 'publish'}
                    disabled={!canSubmit}
                    onClick={onPublish}
                    data-testid="publish"
                  >
                    {t('publish')}
                  </Button>
                </Space>
              )
            }
          >
            {!def || !current ? (
              <Skeleton active={detail.loading || versions.loading} paragraph={{ rows: 8 }} />
            ) : (
              <>
                <Space wrap size={[24, 8]} style={{ marginBottom: 12 }}>
                  <span>
                    <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
                      {t('frameworkName')}
                    </Typography.Text>
                    <Input
                      style={{ width: 360 }}
                      value={def.name}
                      disabled={!editable}
                      onChange={(e) => change((d) => ({ ...d, name: e.target.value }))}
                      aria-label={t('frameworkName')}
                    />
                  </span>
                  <span>
                    <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
                      {t('kLabel')}
                    </Typography.Text>
                    <Input
                      style={{ width: 90 }}
                      className="tj-mono"
                      value={String(def.k)}
                      disabled={!editable}
                      status={k === null ? 'error' : undefined}
                      onChange={(e) => change((d) => ({ ...d, k: e.target.value }))}
                      aria-label={t('kLabel')}
                      data-testid="framework-k"
                    />
                    <Typography.Text
                      type={k === null ? 'danger' : 'secondary'}
                      style={{ marginInlineStart: 8, fontSize: 12 }}
                    >
                      {k === null ? t('kInvalid') : t('kHint')}
                    </Typography.Text>
                  </span>
                </Space>

                {editable && weights && (
                  <div style={{ marginBottom: 12 }} data-testid="weight-sum" data-ok={weights.ok ? 'true' : 'false'}>
                    {weights.ok ? (
                      <Alert
                        type="success"
                        showIcon
                        title={`${t('weightSumOk')}${checking ? ` · ${t('checking')}` : check?.ok ? ` · ${t('checkOk')}` : ''}`}
                      />
                    ) : (
                      <Alert type="error" showIcon title={t('weightSumBad', { sum: decimal(weights.sum, 4) })} />
                    )}
                  </div>
                )}
                {otherIssues.length > 0 && (
                  <Alert
                    type="error"
                    showIcon
                    style={{ marginBottom: 12 }}
                    title={otherIssues.map((e) => e.message).join('；')}
                    data-testid="framework-issues"
                  />
                )}

                <Table<Row>
                  size="small"
                  rowKey="code"
                  pagination={false}
                  bordered
                  dataSource={rows}
                  scroll={{ x: 1000 }}
                  data-testid="framework-edit-table"
                  columns={[
                    {
                      title: t('dimension'),
                      key: 'dimension',
                      width: 130,
                      onCell: (r) => ({ rowSpan: r.span }),
                      render: (_: unknown, r) => (
                        <span>
                          <b>{r.dimensionLabel}</b>
                          <Typography.Text type="secondary" title={t('dimensionSum')}>
                            {' '}
                            · {fraction(r.dimensionWeight)}
                          </Typography.Text>
                        </span>
                      ),
                    },
                    {
                      title: t('indicator'),
                      key: 'name',
                      width: 130,
                      render: (_: unknown, r) => indicatorName(r.code, lang, r.name),
                    },
                    {
                      title: t('weight'),
                      key: 'weight',
                      width: 130,
                      render: (_: unknown, r) => {
                        const bad = parseWeight(r.weight) === null;
                        return (
                          <div>
                            <Input
                              size="small"
                              className="tj-mono"
                              value={String(r.weight)}
                              disabled={!editable}
                              status={bad ? 'error' : undefined}
                              title={t('weightHint')}
                              aria-label={`${t('weight')} ${r.name}`}
                              data-testid={`weight-${r.code}`}
                              onChange={(e) => change((d) => withIndicator(d, r.code, { weight: e.target.value }))}
                            />
                            {bad && (
                              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                                {t('weightInvalid')}
                              </Typography.Text>
                            )}
                          </div>
                        );
                      },
                    },
                    {
                      title: t('rule'),
                      key: 'rule',
                      render: (_: unknown, r) => {
                        const issue = ruleIssues.get(r.code);
                        const split = issue ? splitAtError(r.rule, issue) : null;
                        return (
                          <div>
                            <Input.TextArea
                              className="tj-mono"
                              autoSize={{ minRows: 1, maxRows: 4 }}
                              value={r.rule}
                              disabled={!editable}
                              status={issue ? 'error' : undefined}
                              aria-label={`${t('rule')} ${r.name}`}
                              data-testid={`rule-${r.code}`}
                              style={{ fontSize: 12 }}
                              onChange={(e) => change((d) => withIndicator(d, r.code, { rule: e.target.value }))}
                            />
                            {issue && (
                              <div data-testid={`rule-error-${r.code}`} style={{ fontSize: 12, marginTop: 4 }}>
                                {split && (
                                  <code className="tj-mono" style={{ display: 'block', whiteSpace: 'pre-wrap' }}>
                                    {split.before}
                                    <mark style={{ background: '#ffccc7', textDecoration: 'underline wavy #cf1322' }}>
                                      {split.at}
                                    </mark>
                                    {split.after}
                                  </code>
                                )}
                                <Typography.Text type="danger">{issue.message}</Typography.Text>
                              </div>
                            )}
                          </div>
                        );
                      },
                    },
                  ]}
                />
              </>
            )}
          </Card>
        </Col>

        {preview && (
          <Col span={24}>
            <PreviewCard preview={preview} />
          </Col>
        )}
      </Row>
    </div>
  );
}

function PreviewCard({ preview }: { preview: FrameworkPreview }) {
  const t = useT(assessmentMessages);
  const { lang } = useI18n();
  const option = useMemo(
    (): EChartsCoreOption => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: BANDS.map((b) => bandName(b, lang)) },
      yAxis: { type: 'value', name: t('count') },
      series: [
        {
          name: `${t('before')}（${t('versionN', { n: preview.before.version })}）`,
          type: 'bar',
          data: BANDS.map((b) => preview.bands.before[b] ?? 0),
          itemStyle: { color: '#9aa7b8' },
        },
        {
          name: `${t('after')}（${t('versionN', { n: preview.after.version })}）`,
          type: 'bar',
          data: BANDS.map((b) => ({
            value: preview.bands.after[b] ?? 0,
            itemStyle: { color: BAND_CHART_COLORS[b as Band] },
          })),
        },
      ],
      aria: {
        enabled: true,
        label: {
          description: `${t('bandsBeforeAfter')}：${BANDS.map((b) => `${bandName(b, lang)} ${preview.bands.before[b] ?? 0} → ${preview.bands.after[b] ?? 0}`).join('，')}`,
        },
      },
    }),
    [preview, lang, t],
  );
  const arrow = (a: number, b: number, f: (x: number) => string) =>
    a === b ? (
      f(a)
    ) : (
      <span>
        <Typography.Text type="secondary">{f(a)}</Typography.Text> → <b>{f(b)}</b>
      </span>
    );
  const streets = preview.byStreet.filter((s) => s.before.n > 0 || s.after.n > 0);

  return (
    <Card
      size="small"
      data-testid="framework-preview"
      title={t('previewTitle', { before: preview.before.version, after: preview.after.version, date: preview.asOf })}
      extra={
        <Typography.Text strong data-testid="preview-changed">
          {t('previewChanged', { n: preview.changed })}
        </Typography.Text>
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <div className="tj-assess-section">{t('bandsBeforeAfter')}</div>
          <EChart option={option} height={260} label={t('bandsBeforeAfter')} testId="preview-bands" />
          <Table
            size="small"
            rowKey="band"
            pagination={false}
            data-testid="preview-bands-table"
            dataSource={BANDS.map((b) => ({
              band: b,
              before: preview.bands.before[b] ?? 0,
              after: preview.bands.after[b] ?? 0,
            }))}
            columns={[
              { title: t('band'), dataIndex: 'band', key: 'band', render: (b: string) => <BandTag band={b} /> },
              { title: t('before'), dataIndex: 'before', key: 'before', align: 'right' },
              { title: t('after'), dataIndex: 'after', key: 'after', align: 'right' },
            ]}
          />
        </Col>
        <Col xs={24} xl={12}>
          <div className="tj-assess-section">{t('transitions')}</div>
          <Table
            size="small"
            rowKey={(r) => `${r.from}>${r.to}`}
            pagination={false}
            dataSource={preview.transitions}
            locale={{ emptyText: t('noChange') }}
            data-testid="preview-transitions"
            columns={[
              {
                title: t('transition'),
                key: 't',
                render: (_: unknown, r) => (
                  <span>
                    <BandTag band={r.from} /> → <BandTag band={r.to} />
                  </span>
                ),
              },
              { title: t('count'), dataIndex: 'count', key: 'count', align: 'right', width: 90 },
            ]}
          />
        </Col>
        <Col span={24}>
          <div className="tj-assess-section">{t('byStreet')}</div>
          <Table
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={streets}
            scroll={{ x: 820 }}
            data-testid="preview-streets"
            columns={[
              { title: t('street'), dataIndex: 'name', key: 'name', width: 150 },
              { title: t('changedCol'), dataIndex: 'changed', key: 'changed', width: 90, align: 'right' },
              {
                title: 'q',
                key: 'q',
                width: 110,
                align: 'right',
                render: (_: unknown, r) => arrow(r.before.q, r.after.q, String),
              },
              {
                title: 'H',
                key: 'H',
                width: 150,
                align: 'right',
                render: (_: unknown, r) => arrow(r.before.H, r.after.H, (x) => percent(x)),
              },
              {
                title: 'A',
                key: 'A',
                width: 140,
                align: 'right',
                render: (_: unknown, r) => arrow(r.before.A, r.after.A, (x) => decimal(x)),
              },
              {
                title: 'M0',
                key: 'M0',
                width: 150,
                align: 'right',
                render: (_: unknown, r) => arrow(r.before.M0, r.after.M0, (x) => percent(x)),
              },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <b>
                    {t('total')} · {preview.area.name}
                  </b>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {preview.changed}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  {arrow(preview.area.before.q, preview.area.after.q, String)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  {arrow(preview.area.before.H, preview.area.after.H, (x) => percent(x))}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  {arrow(preview.area.before.A, preview.area.after.A, (x) => decimal(x))}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  {arrow(preview.area.before.M0, preview.area.after.M0, (x) => percent(x))}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}
