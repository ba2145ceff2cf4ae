/**
 * The worklist of a finding as the leads pages show it. Which moves exist, which need a reason and
 * which statuses are closed are the engine's (@tingjian/engine/browser, policies/worklist.ts), the
 * same the server decides with; this module decides which of them to offer as buttons, so a worker
 * is not shown moves that would be refused, and how statuses look.
 */
import { canMove, LEAD_STATUS_LABELS, LEAD_STATUSES, NEXT_STATUS, type LeadStatus } from '@tingjian/engine/browser';
import type { Entry, Lang } from '../../app/i18n.ts';

/**
 * The status buttons for a finding. Assigning is not a button: it needs an adviser, chosen in its
 * own control. An adviser works only findings assigned to them, and does not hand them on.
 */
export function statusActions(from: LeadStatus, opts: { isAdviser: boolean; assignedToMe: boolean }): LeadStatus[] {
  if (opts.isAdviser && !opts.assignedToMe) return [];
  return NEXT_STATUS[from].filter((s) => s !== 'assigned');
}

/** Whether the assign control is offered: by workers above advisers, when the workflow allows it. */
export function canAssign(from: LeadStatus, isAdviser: boolean): boolean {
  return !isAdviser && canMove(from, 'assigned');
}

/** Tag colours: open findings blue to gold as they progress, closed ones by outcome. */
export const STATUS_COLOR: Readonly<Record<LeadStatus, string>> = {
  new: 'blue',
  assigned: 'geekblue',
  contacted: 'cyan',
  applied: 'gold',
  awarded: 'green',
  declined: 'default',
  not_eligible: 'volcano',
};

const STATUS_NAMES_EN: Readonly<Record<LeadStatus, string>> = {
  new: 'New',
  assigned: 'Assigned',
  contacted: 'Contacted',
  applied: 'Applied',
  awarded: 'Awarded',
  declined: 'Declined',
  not_eligible: 'Not eligible after visit',
};

/** Status names: in Chinese the engine's labels, which the server's statusLabel gives too. */
export const STATUS_NAMES: Readonly<Record<LeadStatus, Entry>> = Object.fromEntries(
  LEAD_STATUSES.map((s) => [s, { zh: LEAD_STATUS_LABELS[s], en: STATUS_NAMES_EN[s] }]),
) as Record<LeadStatus, Entry>;

export function statusName(status: LeadStatus, lang: Lang): string {
  return STATUS_NAMES[status][lang];
}
