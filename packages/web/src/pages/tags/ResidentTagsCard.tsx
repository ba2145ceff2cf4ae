/**
 * The 标签 card of the resident 360 view: every tag the person carries today that the user may
 * see, coloured by category. A manual tag says, on hover or focus, who set it, why and until when.
 * Loaded on its own (the read is audited separately) so a failure leaves the rest of the page.
 */
import { Card, Empty, Skeleton, Tooltip, Typography } from 'antd';
import { tags as tagsApi, type ResidentTag } from '../../api/tags.ts';
import { useApi } from '../../api/useApi.ts';
import { useT } from '../../app/I18nProvider.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { assignmentLines } from './assignment.ts';
import { tagMessages } from './messages.ts';
import { SourceLabel, TagChip } from './shared.tsx';

/** `residentRef`: the person's ref (the 360 view's `person.ref`). */
export function ResidentTagsCard({ residentRef }: { residentRef: string }) {
  const t = useT(tagMessages);
  const { data, error, loading, reload } = useApi((signal) => tagsApi.ofResident(residentRef, signal), [residentRef]);
  const manual = data?.tags.some((x) => x.assignment !== null) ?? false;
  return (
    <Card
      size="small"
      title={t('residentTags')}
      data-testid="resident-tags"
      extra={
        manual ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('residentTagsHint')}
          </Typography.Text>
        ) : null
      }
    >
      {error !== null && error !== undefined && !loading ? (
        <ErrorAlert title={t('loadFailed')} error={error} onRetry={reload} />
      ) : !data ? (
        <Skeleton active paragraph={{ rows: 1 }} title={false} />
      ) : data.tags.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('residentTagsEmpty')} style={{ margin: '4px 0' }} />
      ) : (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
          {data.tags.map((tag) => (
            <ResidentTagChip key={tag.id} tag={tag} />
          ))}
        </div>
      )}
    </Card>
  );
}

function ResidentTagChip({ tag }: { tag: ResidentTag }) {
  const t = useT(tagMessages);
  const lines = tag.assignment ? assignmentLines(tag.assignment) : [];
  const title = (
    <div style={{ fontSize: 12 }}>
      <div>
        {tag.ownerName} · <SourceLabel source={tag.source} />
      </div>
      {lines.map((l) => (
        <div key={l.key}>
          {l.key === 'assignValidity'
            ? t('assignValidity', { from: l.params.from ?? t('fromStart'), to: l.params.to ?? t('openEnded') })
            : t(l.key, l.params)}
        </div>
      ))}
    </div>
  );
  return (
    <Tooltip title={title}>
      {/* Focusable, so keyboard users get the tooltip too. */}
      <span tabIndex={0} data-testid="resident-tag" data-code={tag.code} style={{ borderRadius: 4 }}>
        <TagChip code={tag.code} category={tag.category}>
          {tag.assignment ? ' ✎' : ''}
        </TagChip>
      </span>
    </Tooltip>
  );
}
