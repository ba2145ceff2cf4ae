import { describe, expect, it } from 'vitest';
import { canMove, isClosed, LEAD_STATUS_LABELS, LEAD_STATUSES, needsReason, NEXT_STATUS } from './worklist.ts';

// Moved from the web app's copy (packages/web/src/pages/leads/workflow.test.ts), which this replaces.
describe('finding worklist', () => {
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

  it('lets every status move on, and names each in Chinese', () => {
    for (const s of LEAD_STATUSES) expect(NEXT_STATUS[s].length).toBeGreaterThan(0);
    expect(Object.keys(LEAD_STATUS_LABELS)).toEqual([...LEAD_STATUSES]);
    expect(LEAD_STATUS_LABELS.not_eligible).toBe('走访后不符合');
  });
});
