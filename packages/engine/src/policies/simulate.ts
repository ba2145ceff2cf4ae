/**
 * Impact of a draft: the same registry scanned with the published pack and with the draft, and
 * the difference per policy — who gains eligibility, who loses it, where, and what it costs per
 * month — before anything is published.
 */
import { T } from '../rules/columnar.ts';
import type { ScanResult } from './scan.ts';

export interface PolicyImpact {
  readonly policy: string;
  /** Dense numbers of residents eligible under the draft and not under the published pack. */
  readonly gains: Int32Array;
  readonly losses: Int32Array;
  /** Monthly amount over everyone eligible, before and after (policies with an amount formula). */
  readonly monthlyBefore: number | null;
  readonly monthlyAfter: number | null;
}

function eligibleTotal(scan: ScanResult, code: string): number | null {
  const c = scan.columns.get(code);
  if (!c || !c.amount) return null;
  let sum = 0;
  const { rows, values } = c.amount;
  for (let k = 0; k < rows.length; k++)
    if (c.eligible[rows[k]!] === T) {
      const a = values[k]!;
      if (a === a) sum += a;
    }
  return Math.round(sum * 100) / 100;
}

export function compareScans(before: ScanResult, after: ScanResult): PolicyImpact[] {
  const codes = [...new Set([...before.columns.keys(), ...after.columns.keys()])];
  return codes.map((code) => {
    const a = before.columns.get(code)?.eligible;
    const b = after.columns.get(code)?.eligible;
    const gains: number[] = [];
    const losses: number[] = [];
    const n = before.view.n;
    for (let i = 0; i < n; i++) {
      const x = a ? a[i] === T : false;
      const y = b ? b[i] === T : false;
      if (y && !x) gains.push(i);
      else if (x && !y) losses.push(i);
    }
    return {
      policy: code,
      gains: Int32Array.from(gains),
      losses: Int32Array.from(losses),
      monthlyBefore: eligibleTotal(before, code),
      monthlyAfter: eligibleTotal(after, code),
    };
  });
}
