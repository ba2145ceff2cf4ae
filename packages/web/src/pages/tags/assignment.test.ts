import { describe, expect, it } from 'vitest';
import { assignmentLines, dateOf, skippedByReason } from './assignment.ts';

describe('assignments', () => {
  it('counts skipped residents per reason', () => {
    expect(
      skippedByReason([
        { ref: 'r.a', idNumberMasked: null, reason: '已有此标签' },
        { ref: 'r.b', idNumberMasked: null, reason: '不在该标签的适用范围内' },
        { ref: 'r.c', idNumberMasked: null, reason: '已有此标签' },
      ]),
    ).toEqual([
      { reason: '已有此标签', n: 2 },
      { reason: '不在该标签的适用范围内', n: 1 },
    ]);
    expect(skippedByReason([])).toEqual([]);
  });

  it('says who set a manual tag, why and for how long', () => {
    expect(dateOf('2026-11-28T08:30:00.000Z')).toBe('2026-11-28');
    expect(
      assignmentLines({
        reason: '结对',
        evidence: null,
        assignedBy: 'huayang',
        assignedAt: '2026-11-28T08:30:00Z',
        validFrom: null,
        validTo: '2027-06-30',
      }),
    ).toEqual([
      { key: 'assignedBy', params: { by: 'huayang', at: '2026-11-28' } },
      { key: 'assignReason', params: { reason: '结对' } },
      { key: 'assignValidity', params: { from: null, to: '2027-06-30' } },
    ]);
    expect(
      assignmentLines({
        reason: 'r',
        evidence: '协议',
        assignedBy: 'x',
        assignedAt: 'y',
        validFrom: null,
        validTo: null,
      }).map((l) => l.key),
    ).toEqual(['assignedBy', 'assignReason', 'assignEvidence', 'assignValidity']);
  });
});
