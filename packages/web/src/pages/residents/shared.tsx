/** Small pieces shared by the resident and household pages. */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Result, Typography } from 'antd';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { OrgPathItem, Provenance } from '../../api/types.ts';
import { useT } from '../../app/I18nProvider.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { residentMessages } from './messages.ts';

export function formatAt(at: string): string {
  const d = dayjs(at);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : at;
}

export function ProvenanceText({ source }: { source: Provenance | null }) {
  const t = useT(residentMessages);
  if (!source) return <Typography.Text type="secondary">{t('noProvenance')}</Typography.Text>;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {t('provenance', { run: source.importRun, source: source.source, at: formatAt(source.at), actor: source.actor })}
    </Typography.Text>
  );
}

export function OrgBreadcrumb({ path, last }: { path: OrgPathItem[]; last?: string }) {
  const items = path.map((o) => ({ title: o.name }));
  if (last) items.push({ title: last });
  return <Breadcrumb items={items} style={{ marginBottom: 8 }} />;
}

export function BackButton() {
  const t = useT(residentMessages);
  const navigate = useNavigate();
  // Back keeps the list's filters and page (they live in its URL); without history, open the list.
  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/residents'));
  return (
    <Button icon={<ArrowLeftOutlined />} onClick={back}>
      {t('backToList')}
    </Button>
  );
}

/** A 404 says "not in your area" (the server does not tell whether the person exists elsewhere). */
export function LoadError({ error, notFound, onRetry }: { error: unknown; notFound: string; onRetry: () => void }) {
  const t = useT(residentMessages);
  const navigate = useNavigate();
  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
    return (
      <Result
        status="404"
        title={notFound}
        subTitle={t('notFoundHint')}
        data-testid="not-found"
        extra={
          <Button type="primary" onClick={() => navigate('/residents')}>
            {t('backToList')}
          </Button>
        }
      />
    );
  }
  return <ErrorAlert title={t('loadFailed')} error={error} onRetry={onRetry} />;
}
