/**
 * The scan's index planner: at which rows a policy's rule needs evaluating at all. A rule is an
 * AND of conditions; those that read only facts that never change with the date (`local`,
 * `disability_grade != null`) or only the household (`household.pc_income < LIBAO`) are decided
 * once per population (or per household figures and parameter values) into an index of the rows
 * that can pass them, kept as long as the population. Where an index holds few enough rows, the
 * rule runs only there; everyone else fails one of its conjuncts, so fails the rule.
 */
import { evaluateTruth, evaluateTruthAt, F } from '../rules/columnar.ts';
import { compileTruth, CompileUnsupported, conjunctsOf, readsOnlyHousehold } from '../rules/compile.ts';
import { binary, walk, type Expr } from '../rules/ast.ts';
import { printRule } from '../rules/print.ts';
import type { PopulationOnDate } from '../population/facts.ts';
import { householdRepresentatives, membersOf, type Population } from '../population/population.ts';

/**
 * Rows that can pass a condition, by its conjuncts of facts that never change with the date (null
 * when they do not narrow it): the local people with a certified disability, the pupils, the
 * unemployed. Everyone else fails one of those conjuncts, so fails the rule, which is then
 * evaluated only at these rows. Per population and set of conjuncts, an index built on first use
 * and kept as long as the population.
 */
const candidatesByPopulation = new WeakMap<Population, Map<string, Int32Array>>();
/** A conjunct narrows the scan when at most this share of the registry passes it. */
const SELECTIVE = 0.35;
const SMALL = 4096;
const keyOf = new WeakMap<Expr, string>();
const filterOf = new WeakMap<Expr, Expr | null>();

/** The conjuncts of a rule that `keep` accepts, as one AND (null when none), kept per rule. */
function conjunctionOf(rule: Expr, cache: WeakMap<Expr, Expr | null>, keep: (c: Expr) => boolean): Expr | null {
  let filter = cache.get(rule);
  if (filter === undefined) {
    const parts = conjunctsOf(rule).filter(keep);
    filter = parts.length === 0 ? null : parts.reduce((a, b) => binary('&&', a, b));
    cache.set(rule, filter);
  }
  return filter;
}

function textOf(e: Expr): string {
  let text = keyOf.get(e);
  if (text === undefined) keyOf.set(e, (text = printRule(e)));
  return text;
}

export function candidateRows(rule: Expr, view: PopulationOnDate): Int32Array | null {
  // A few households (a re-evaluation cut out of the registry): one pass is cheaper than an index.
  if (view.n < SMALL) return null;
  let byRule = candidatesByPopulation.get(view.population);
  if (!byRule) candidatesByPopulation.set(view.population, (byRule = new Map()));
  // All the date-free conjuncts together (`local && !able_supporter`): fewer rows than any one.
  const filter = conjunctionOf(rule, filterOf, (c) => view.readsDateFreeFactsOnly(c));
  if (!filter) return null;
  const key = textOf(filter);
  let rows = byRule.get(key);
  if (!rows) {
    let truth: Uint8Array;
    try {
      truth = new Uint8Array(view.n);
      compileTruth(filter, view).runAll(truth);
    } catch (err) {
      if (!(err instanceof CompileUnsupported)) throw err;
      truth = evaluateTruth(filter, view);
    }
    let m = 0;
    for (let i = 0; i < truth.length; i++) if (truth[i] !== F) m++;
    rows = new Int32Array(m);
    for (let i = 0, k = 0; i < truth.length; i++) if (truth[i] !== F) rows[k++] = i;
    byRule.set(key, rows);
  }
  return rows.length <= SELECTIVE * view.n ? rows : null;
}

/**
 * Members of the households that can pass a condition's household-level conjuncts (household
 * facts and parameters: `household.pc_income < LIBAO`), ascending; null when they do not narrow
 * it. An index per set of household figures (shared by the dates on which the same members exist)
 * and per parameter values.
 */
const householdCandidates = new WeakMap<object, Map<string, Int32Array>>();
const householdFilterOf = new WeakMap<Expr, Expr | null>();

export function householdCandidateRows(rule: Expr, view: PopulationOnDate): Int32Array | null {
  if (view.n < SMALL) return null;
  // Not aggregates: they read the members' ages on the date, which the index's key does not hold.
  const filter = conjunctionOf(rule, householdFilterOf, (c) => readsOnlyHousehold(c, view, false));
  if (!filter) return null;
  const basis = view.householdBasis();
  let byRule = householdCandidates.get(basis);
  if (!byRule) householdCandidates.set(basis, (byRule = new Map()));
  // The parameters' values on this date are part of what the index answers.
  const params = [
    ...new Set([...walk(filter)].flatMap((x) => (x.kind === 'ref' && !view.isFact(x.name) ? [x.name] : []))),
  ];
  const key = `${textOf(filter)}\u0000${params.map((name) => `${name}=${view.param(name)}`).join(',')}`;
  let rows = byRule.get(key);
  if (!rows) {
    const p = view.population;
    const { households, persons } = householdRepresentatives(p);
    let truth: Uint8Array;
    try {
      truth = new Uint8Array(households.length);
      compileTruth(filter, view).runHouseholds(households, persons, truth);
    } catch (err) {
      if (!(err instanceof CompileUnsupported)) throw err;
      truth = evaluateTruthAt(filter, view, persons);
    }
    rows = membersOf(
      p,
      households.filter((_, u) => truth[u] !== F),
    );
    byRule.set(key, rows);
  }
  return rows.length <= SELECTIVE * view.n ? rows : null;
}

/** Rows in both ascending lists. */
function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let m = 0;
  for (let x = 0, y = 0; x < a.length && y < b.length;) {
    if (a[x]! < b[y]!) x++;
    else if (a[x]! > b[y]!) y++;
    else {
      out[m++] = a[x]!;
      x++;
      y++;
    }
  }
  return out.subarray(0, m);
}

/**
 * The rows at which a rule must be evaluated, ascending (both indexes intersected when both
 * narrow it), or null when neither does and the whole registry is evaluated.
 */
export function rowsToEvaluate(rule: Expr, view: PopulationOnDate): Int32Array | null {
  const byPerson = candidateRows(rule, view);
  const byHousehold = householdCandidateRows(rule, view);
  return byPerson && byHousehold ? intersect(byPerson, byHousehold) : (byPerson ?? byHousehold);
}
