/**
 * Reading the policy pack: which dated value of a parameter is in force on a date, which
 * parameters a rule or amount names, and whether a policy is in force. Pure, for the 政策库 page.
 */
import type { ParameterView, PolicyView } from '../../api/policies.ts';

/** The index of the value in force on `asOf` (the last one starting on or before it), or -1 before the first. */
export function inForceIndex(values: ParameterView['values'], asOf: string): number {
  let found = -1;
  values.forEach((v, i) => {
    if (v.from <= asOf && (found === -1 || v.from >= values[found]!.from)) found = i;
  });
  return found;
}

/** Whether a policy is in force on a date (end dates inclusive, open-ended runs on). */
export function policyInForce(p: Pick<PolicyView, 'effectiveFrom' | 'effectiveTo'>, asOf: string): boolean {
  return p.effectiveFrom <= asOf && (p.effectiveTo === null || p.effectiveTo >= asOf);
}

/** The pack's parameters that a policy's rule or amount formula names, in the pack's order. */
export function parametersOf(
  p: Pick<PolicyView, 'rule' | 'amount'>,
  parameters: readonly Pick<ParameterView, 'name'>[],
): string[] {
  const text = `${p.rule}\n${p.amount ?? ''}`;
  return parameters
    .map((x) => x.name)
    .filter((name) => new RegExp(`(^|[^A-Za-z0-9_])${name}($|[^A-Za-z0-9_])`).test(text));
}
