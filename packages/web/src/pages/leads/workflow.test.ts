import { describe, expect, it } from 'vitest';
import { LEAD_STATUSES } from '../../api/policies.ts';
import { canAssign, canMove, isClosed, needsReason, NEXT_STATUS, STATUS_NAMES, statusActions, statusName } from './workflow.ts';

describe('lead workflow', () => {
  it('goes new → assigned → contacted → applied → awarded', () => {
    expect(canMove('new', 'assigned')).toBe(true);
    expect(canMove('assigned', 'contacted')).toBe(true);
    expect(canMove('contacted', 'applied')).toBe(true);
    expect(canMove('applied', 'awarded')).toBe(true);
  });

  it('does not skip applying, nor go back from awarded except by assigning again', () => {
    expect(canMove('new', 'applied')).toBe(false);
    expect(canMove('contacted', 'awarded')).toBe(false);
    expect(canMove('awarded', 'contacted')).toBe(false);
    expect(NEXT_STATUS.awarded).toEqual(['assigned']);
    expect(NEXT_STATUS.declined).toEqual(['assigned']);
  });

  it('asks a reason for declined and not eligible only', () => {
    expect(LEAD_STATUSES.filter(needsReason)).toEqual(['declined', 'not_eligible']);
  });

  it('calls awarded, declined and not eligible closed', () => {
    expect(LEAD_STATUSES.filter(isClosed)).toEqual(['awarded', 'declined', 'not_eligible']);
  });

  it('offers status buttons without assigning, which has its own control', () => {
    expect(statusActions('new', { isAdviser: false, assignedToMe: false })).toEqual(['contacted', 'declined', 'not_eligible']);
    expect(statusActions('contacted', { isAdviser: false, assignedToMe: false })).toEqual(['applied', 'declined', 'not_eligible']);
    expect(statusActions('awarded', { isAdviser: false, assignedToMe: false })).toEqual([]);
    expect(canAssign('new', false)).toBe(true);
    expect(canAssign('applied', false)).toBe(false);
    expect(canAssign('declined', false)).toBe(true);
  });

  it('lets an adviser move only findings assigned to them, and not assign', () => {
    expect(statusActions('assigned', { isAdviser: true, assignedToMe: true })).toEqual(['contacted', 'declined', 'not_eligible']);
    expect(statusActions('assigned', { isAdviser: true, assignedToMe: false })).toEqual([]);
    expect(canAssign('new', true)).toBe(false);
  });

  it('names every status in both languages, as the server labels them in Chinese', () => {
    expect(Object.keys(STATUS_NAMES)).toEqual([...LEAD_STATUSES]);
    expect(statusName('not_eligible', 'zh')).toBe('走访后不符合');
    expect(statusName('awarded', 'en')).toBe('Awarded');
    for (const s of LEAD_STATUSES) expect(NEXT_STATUS[s].length).toBeGreaterThan(0);
  });
});
