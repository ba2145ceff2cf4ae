/**
 * The worklist of a finding: new → assigned → contacted → applied → awarded, or closed as
 * declined / not_eligible (with a reason). The server decides (NEXT_STATUS in policies.service.ts)
 * and says which moves are allowed when it refuses one; this copy only decides which buttons to
 * offer, so a worker is not shown moves that would be refused.
 */
import type { LeadStatus } from '../../api/policies.ts';
import type { Entry, Lang } from '../../app/i18n.ts';

export const NEXT_STATUS: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  new: ['assigned', 'contacted', 'declined', 'not_eligible'],
  assigned: ['assigned', 'contacted', 'declined', 'not_eligible'],
  contacted: ['assigned', 'applied', 'declined', 'not_eligible'],
  applied: ['awarded', 'declined', 'not_eligible'],
  awarded: ['assigned'],
  declined: ['assigned'],
  not_eligible: ['assigned'],
};

const NEEDS_REASON: ReadonlySet<LeadStatus> = new Set(['declined', 'not_eligible']);
const CLOSED: ReadonlySet<LeadStatus> = new Set(['awarded', 'declined', 'not_eligible']);

/** Whether the move to `status` must say why (the server refuses it without a reason). */
export function needsReason(status: LeadStatus): boolean {
  return NEEDS_REASON.has(status);
}

/** Whether the finding has been dealt with (reopening means assigning it again). */
export function isClosed(status: LeadStatus): boolean {
  return CLOSED.has(status);
}

export function canMove(from: LeadStatus, to: LeadStatus): boolean {
  return NEXT_STATUS[from].includes(to);
}

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

/** Status names; in Chinese the server's statusLabel says the same. */
export const STATUS_NAMES: Readonly<Record<LeadStatus, Entry>> = {
  new: { zh: '待处理', en: 'New' },
  assigned: { zh: '已分派', en: 'Assigned' },
  contacted: { zh: '已联系', en: 'Contacted' },
  applied: { zh: '已申请', en: 'Applied' },
  awarded: { zh: '已获救助', en: 'Awarded' },
  declined: { zh: '本人拒绝', en: 'Declined' },
  not_eligible: { zh: '走访后不符合', en: 'Not eligible after visit' },
};

export function statusName(status: LeadStatus, lang: Lang): string {
  return STATUS_NAMES[status][lang];
}
