/**
 * 数据导入: upload a snapshot (.xlsx, .csv or zipped CSV folder), watch the upload, then read
 * the summary per table and the rejection report, which downloads as CSV. The answer lists the
 * first rejected cells only (at most 1,000); past them the full report downloads from the server.
 */
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Space, Table, Typography, Upload } from 'antd';
import { useRef, useState } from 'react';
import { api } from '../../api/client.ts';
import { csvBlob, saveBlob } from '../../api/download.ts';
import { imports } from '../../api/endpoints.ts';
import type { RejectedRow } from '../../api/types.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { formatNumber } from '../../app/i18n.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  ACCEPTED_EXTENSIONS,
  acceptsFile,
  countRows,
  formatBytes,
  reportFiles,
  reportFilename,
  reportState,
  type CountRow,
  type ImportAnswer,
} from './import-summary.ts';
import { importMessages } from './messages.ts';

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; name: string; size: number; fraction: number }
  | { kind: 'processing'; name: string; size: number }
  | { kind: 'done'; summary: ImportAnswer }
  | { kind: 'error'; error: unknown };

export default function ImportPage() {
  const t = useT(importMessages);
  const { lang } = useI18n();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const busy = phase.kind === 'uploading' || phase.kind === 'processing';

  const start = async (file: File) => {
    if (!acceptsFile(file.name)) {
      setPhase({ kind: 'error', error: new Error(t('wrongType', { name: file.name })) });
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setPhase({ kind: 'uploading', name: file.name, size: file.size, fraction: 0 });
    try {
      const summary: ImportAnswer = await imports.upload(
        file,
        file.name,
        (fraction) => {
          setPhase((p) =>
            p.kind === 'uploading'
              ? fraction >= 1
                ? { kind: 'processing', name: p.name, size: p.size }
                : { ...p, fraction }
              : p,
          );
        },
        controller.signal,
      );
      setPhase({ kind: 'done', summary });
    } catch (e) {
      setPhase(
        controller.signal.aborted ? { kind: 'error', error: new Error(t('cancelled')) } : { kind: 'error', error: e },
      );
    } finally {
      abort.current = null;
    }
  };

  const n = (v: number) => formatNumber(v, lang);
  const countColumns = [
    {
      title: t('table'),
      dataIndex: 'table',
      key: 'table',
      render: (v: string, r: CountRow) => (r.isTotal ? <b>{t('total')}</b> : <span className="tj-mono">{v}</span>),
    },
    ...(['read', 'inserted', 'updated', 'unchanged', 'rejected'] as const).map((k) => ({
      title: t(k),
      dataIndex: k,
      key: k,
      align: 'right' as const,
      render: (v: number, r: CountRow) => {
        const text = n(v);
        if (k === 'rejected' && v > 0)
          return (
            <Typography.Text type="danger" strong={r.isTotal}>
              {text}
            </Typography.Text>
          );
        return r.isTotal ? <b>{text}</b> : text;
      },
    })),
  ];

  return (
    <div data-testid="import-page">
      <div className="tj-page-header">
        <div>
          <h1>{t('title')}</h1>
          <span className="tj-page-sub">{t('subtitle')}</span>
        </div>
        <TemplateButton />
      </div>

      <Card size="small" style={{ marginBottom: 12 }}>
        <Upload.Dragger
          name="file"
          multiple={false}
          accept={ACCEPTED_EXTENSIONS.join(',')}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void start(file);
            return false;
          }}
          data-testid="import-dropzone"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('drop')}</p>
          <p className="ant-upload-hint">{t('dropHint')}</p>
        </Upload.Dragger>

        {busy && (
          <div style={{ marginTop: 12 }} aria-live="polite" data-testid="import-progress">
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <Typography.Text>
                {phase.kind === 'uploading'
                  ? t('uploading', { name: phase.name, size: formatBytes(phase.size) })
                  : t('processing')}
              </Typography.Text>
              {phase.kind === 'uploading' && (
                <Button size="small" onClick={() => abort.current?.abort()}>
                  {t('cancel')}
                </Button>
              )}
            </Space>
            <Progress
              percent={phase.kind === 'uploading' ? Math.round(phase.fraction * 100) : 100}
              status={phase.kind === 'processing' ? 'active' : 'normal'}
            />
          </div>
        )}
      </Card>

      {phase.kind === 'error' && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('failed')} error={phase.error} />
        </div>
      )}

      {phase.kind === 'done' && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="import-result">
          <Alert
            type={phase.summary.rejectedRows > 0 ? 'warning' : 'success'}
            showIcon
            title={t('done', { run: phase.summary.runId, source: phase.summary.source })}
          />
          {(phase.summary.notes ?? []).length > 0 && (
            <Alert
              type="info"
              showIcon
              title={t('notes')}
              data-testid="import-notes"
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {phase.summary.notes!.map((note) => (
                    <li key={note}>{note}</li>
                  ))}
                </ul>
              }
            />
          )}
          <Card size="small" title={t('summary')}>
            <Table<CountRow>
              size="small"
              pagination={false}
              rowKey={(r) => (r.isTotal ? '__total' : r.table)}
              columns={countColumns}
              dataSource={countRows(phase.summary.tables)}
              data-testid="import-counts"
            />
          </Card>
          <RejectionReport summary={phase.summary} />
        </Space>
      )}
    </div>
  );
}

/** The .xlsx template: a sheet per table with the format's column names and a Chinese 说明 sheet. */
function TemplateButton() {
  const t = useT(importMessages);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const download = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const { blob } = await api.download('/api/imports/template.xlsx');
      saveBlob(blob, t('templateFile'));
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" align="end">
      <Button icon={<DownloadOutlined />} onClick={() => void download()} loading={busy} data-testid="import-template">
        {t('template')}
      </Button>
      {failure !== null && <ErrorAlert title={t('templateFailed')} error={failure} />}
    </Space>
  );
}

function RejectionReport({ summary }: { summary: ImportAnswer }) {
  const t = useT(importMessages);
  const { lang } = useI18n();
  const [downloading, setDownloading] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const files = reportFiles(summary.rejected);
  const state = reportState(summary);
  // The page holds the whole report when it is short; else the server sends it.
  const download = async () => {
    if (!state.url) {
      saveBlob(csvBlob(summary.reportCsv), reportFilename(summary));
      return;
    }
    setDownloading(true);
    setFailure(null);
    try {
      const { blob } = await api.download(state.url);
      saveBlob(blob, reportFilename(summary));
    } catch (e) {
      setFailure(e);
    } finally {
      setDownloading(false);
    }
  };
  return (
    <Card
      size="small"
      title={<span data-testid="report-title">{t('report', { n: summary.rejectedRows })}</span>}
      extra={
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void download()}
          loading={downloading}
          disabled={state.cells === 0}
          data-testid="report-download"
        >
          {t('download')}
        </Button>
      }
    >
      {state.truncated && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="report-truncated"
          title={t('truncated', { shown: formatNumber(state.shown, lang), cells: formatNumber(state.cells, lang) })}
          action={
            <Button size="small" type="link" onClick={() => void download()} loading={downloading}>
              {t('downloadFull')}
            </Button>
          }
        />
      )}
      {failure !== null && (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert title={t('download')} error={failure} />
        </div>
      )}
      <Table<RejectedRow>
        size="small"
        rowKey={(r) => `${r.file}:${r.line}:${r.column}:${r.reason}`}
        dataSource={summary.rejected}
        locale={{ emptyText: t('noRejections') }}
        pagination={summary.rejected.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        data-testid="report-table"
        columns={[
          {
            title: t('file'),
            dataIndex: 'file',
            key: 'file',
            width: 160,
            filters: files.length > 1 ? files.map((f) => ({ text: f, value: f })) : undefined,
            onFilter: (value, r) => r.file === value,
            render: (v: string) => <span className="tj-mono">{v}</span>,
          },
          {
            title: t('line'),
            dataIndex: 'line',
            key: 'line',
            width: 80,
            align: 'right',
            sorter: (a, b) => a.line - b.line,
          },
          {
            title: t('column'),
            dataIndex: 'column',
            key: 'column',
            width: 160,
            render: (v: string) => <span className="tj-mono">{v || '—'}</span>,
          },
          { title: t('reason'), dataIndex: 'reason', key: 'reason' },
        ]}
      />
    </Card>
  );
}
