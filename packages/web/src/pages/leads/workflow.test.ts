import { describe, expect, it } from 'vitest';
import { LEAD_STATUSES } from '@tingjian/engine/browser';
import { canAssign, STATUS_NAMES, statusActions, statusName } from './workflow.ts';

// Which moves exist, need a reason or close a finding is tested with the engine's worklist
// (packages/engine/src/policies/worklist.test.ts); here, what the leads pages offer and show.
describe('lead workflow', () => {
  it('offers status buttons without assigning, which has its own control', () => {
    expect(statusActions('new', { isAdviser: false, assignedToMe: false })).toEqual([
      'contacted',
      'declined',
      'not_eligible',
    ]);
    expect(statusActions('contacted', { isAdviser: false, assignedToMe: false })).toEqual([
      'applied',
      'declined',
      'not_eligible',
    ]);
    expect(statusActions('awarded', { isAdviser: false, assignedToMe: false })).toEqual([]);
    expect(canAssign('new', false)).toBe(true);
    expect(canAssign('applied', false)).toBe(false);
    expect(canAssign('declined', false)).toBe(true);
  });

  it('lets an adviser move only findings assigned to them, and not assign', () => {
    expect(statusActions('assigned', { isAdviser: true, assignedToMe: true })).toEqual([
      'contacted',
      'declined',
      'not_eligible',
    ]);
    expect(statusActions('assigned', { isAdviser: true, assignedToMe: false })).toEqual([]);
    expect(canAssign('new', true)).toBe(false);
  });

  it('names every status in both languages, as the server labels them in Chinese', () => {
    expect(Object.keys(STATUS_NAMES)).toEqual([...LEAD_STATUSES]);
    expect(statusName('not_eligible', 'zh')).toBe('走访后不符合');
    expect(statusName('awarded', 'en')).toBe('Awarded');
  });
});
