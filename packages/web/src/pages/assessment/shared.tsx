/** Small pieces shared by the assessment page and the household card: band and status tags, the help list. */
import { Tag, Tooltip, Typography } from 'antd';
import type { IndicatorStatus } from '../../api/assessment.ts';
import { useI18n, useT } from '../../app/I18nProvider.tsx';
import { helpGroups, type HelpKind } from './figures.ts';
import { assessmentMessages } from './messages.ts';
import { BAND_TAG_COLORS, bandName, STATUS_NAMES, STATUS_TAG_COLORS } from './names.ts';

export function BandTag({ band }: { band: string }) {
  const { lang } = useI18n();
  const color = (BAND_TAG_COLORS as Readonly<Record<string, string>>)[band] ?? 'default';
  return (
    <Tag color={color} data-band={band} style={{ marginInlineEnd: 0 }}>
      {bandName(band, lang)}
    </Tag>
  );
}

export function StatusTag({ status }: { status: IndicatorStatus }) {
  const { lang } = useI18n();
  return (
    <Tag
      color={STATUS_TAG_COLORS[status]}
      variant={status === 'not_deprived' ? 'outlined' : 'filled'}
      data-status={status}
    >
      {STATUS_NAMES[status][lang]}
    </Tag>
  );
}

const HELP_COLORS: Readonly<Record<HelpKind, string>> = {
  policy: 'blue',
  service: 'cyan',
  resource: 'purple',
  other: 'default',
};
const HELP_LABEL = {
  policy: 'helpPolicy',
  service: 'helpService',
  resource: 'helpResource',
  other: 'helpOther',
} as const;

/**
 * The framework's help for one indicator, by kind: 政策 / 服务 / 社会资源, each kind on a line
 * (or side by side, wrapping, where rows must stay short).
 * The items are the framework's own words (Chinese; the English UI labels the kinds only).
 */
export function HelpList({
  help,
  compact = false,
  inline = false,
}: {
  help: readonly string[];
  compact?: boolean;
  inline?: boolean;
}) {
  const t = useT(assessmentMessages);
  const groups = helpGroups(help);
  if (groups.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <div
      className={['tj-help', compact ? 'tj-help-compact' : '', inline ? 'tj-help-inline' : '']
        .filter(Boolean)
        .join(' ')}
    >
      {groups.map((g, i) => (
        <div key={i} className="tj-help-line">
          <Tag color={HELP_COLORS[g.kind]} variant="filled" className="tj-help-kind">
            {t(HELP_LABEL[g.kind])}
          </Tag>
          <span className="tj-help-items">{g.items.join('、')}</span>
        </div>
      ))}
    </div>
  );
}

/** An indicator as a tag; clickable when `onClick` is given (the drill-down filters by it). */
export function IndicatorTag({
  name,
  color,
  title,
  onClick,
}: {
  name: string;
  color?: string;
  title?: string;
  onClick?: () => void;
}) {
  const tag = (
    <Tag
      color={color}
      className={onClick ? 'tj-indicator-tag tj-clickable' : 'tj-indicator-tag'}
      onClick={
        onClick
          ? (e) => {
              e.stopPropagation();
              onClick();
            }
          : undefined
      }
      onKeyDown={
        onClick
          ? (e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                e.stopPropagation();
                onClick();
              }
            }
          : undefined
      }
      role={onClick ? 'button' : undefined}
      tabIndex={onClick ? 0 : undefined}
    >
      {name}
    </Tag>
  );
  return title ? <Tooltip title={title}>{tag}</Tooltip> : tag;
}
