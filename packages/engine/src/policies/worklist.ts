/**
 * The worklist of a finding (a lead or a review): new → assigned → contacted → applied → awarded,
 * or closed as declined / not_eligible with a reason; a closed finding is reopened by assigning it
 * again. The server decides a move with these (and refuses one they do not allow, naming the
 * moves that are); the web app offers only the moves they allow.
 */

/** The kinds of finding: a lead (待主动发现, not yet receiving) or a review (待复核, receiving but failing). */
export const FINDING_KINDS = ['lead', 'review'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const LEAD_STATUSES = [
  'new',
  'assigned',
  'contacted',
  'applied',
  'awarded',
  'declined',
  'not_eligible',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** The Chinese name of each status, as messages and exports give it. */
export const LEAD_STATUS_LABELS: Readonly<Record<LeadStatus, string>> = {
  new: '待处理',
  assigned: '已分派',
  contacted: '已联系',
  applied: '已申请',
  awarded: '已获救助',
  declined: '本人拒绝',
  not_eligible: '走访后不符合',
};

/** Which status may follow which; a closed finding can be reopened by assigning it again. */
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

/** Whether a finding in status `from` may be moved to `to`. */
export function canMove(from: LeadStatus, to: LeadStatus): boolean {
  return NEXT_STATUS[from].includes(to);
}
