/** Manual tag assignments as the pages show them: bulk results and a resident's tag provenance. */
import type { AssignResult, ResidentTag } from '../../api/tags.ts';

/** Skipped residents counted per reason, most frequent first (the list of id numbers is not shown). */
export function skippedByReason(skipped: AssignResult['skipped']): Array<{ reason: string; n: number }> {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts]
    .map(([reason, n]) => ({ reason, n }))
    .sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason));
}

/** The date part of an ISO timestamp, or the text as given. */
export function dateOf(at: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(at) ? at.slice(0, 10) : at;
}

export type AssignmentLine =
  | { key: 'assignedBy'; params: { by: string; at: string } }
  | { key: 'assignReason'; params: { reason: string } }
  | { key: 'assignEvidence'; params: { evidence: string } }
  | { key: 'assignValidity'; params: { from: string | null; to: string | null } };

/** What the tooltip of a manual tag says, in order; null values are filled by the caller's words. */
export function assignmentLines(assignment: NonNullable<ResidentTag['assignment']>): AssignmentLine[] {
  const lines: AssignmentLine[] = [
    { key: 'assignedBy', params: { by: assignment.assignedBy, at: dateOf(assignment.assignedAt) } },
    { key: 'assignReason', params: { reason: assignment.reason } },
  ];
  if (assignment.evidence) lines.push({ key: 'assignEvidence', params: { evidence: assignment.evidence } });
  lines.push({ key: 'assignValidity', params: { from: assignment.validFrom, to: assignment.validTo } });
  return lines;
}
