/** The change history of a resident: each entry's field changes as "field: old → new". */
import type { HistoryEntry } from '../../api/types.ts';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

/** A stored value as text: empty for null, JSON for anything structured. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function fieldChanges(entry: Pick<HistoryEntry, 'changes'>): FieldChange[] {
  return Object.entries(entry.changes ?? {}).map(([field, pair]) => {
    const [before, after] = Array.isArray(pair) ? pair : [undefined, pair];
    return { field, before: showValue(before), after: showValue(after) };
  });
}

/** Whole years between a birth date and a date, both YYYY-MM-DD: the engine's, as the server counts them. */
export { ageOn } from '@tingjian/engine/browser';

/** Whether an enrollment is running on a date (end dates are inclusive; open-ended runs on). */
export function isActive(e: { startDate: string; endDate: string | null }, on: string): boolean {
  return e.startDate <= on && (e.endDate === null || e.endDate >= on);
}
