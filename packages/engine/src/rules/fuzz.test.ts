/**
 * Fuzzing the rule language end to end: random and adversarial text (deep nesting of every kind,
 * long chains, huge numbers, unicode and lone surrogates, unbalanced quotes, very long names, NUL
 * bytes, mutations of the shipped rules) through parseRule, the type checker, printing, both
 * evaluators and the explanations; and the same for crowd selections. Each input either gives a
 * result or the language's own error (RuleError; CompileUnsupported from the compiler, whose
 * callers fall back to the columnar evaluator) — never a RangeError, a stack overflow or any other
 * crash. Seeded and bounded by a count, so every run sees the same inputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { FrameworkDef } from '../assessment/framework.ts';
import type { PackDef } from '../policies/pack.ts';
import { PopulationOnDate, personCatalog } from '../population/facts.ts';
import { prng, randomPopulation } from '../population/population.fixture.ts';
import { REFERENCE_TAGS } from '../tags/dictionary.ts';
import { parseSelection, printSelection, selectionTags } from '../tags/selection.ts';
import { TagIndex } from '../tags/tag-index.ts';
import { exprDepth, exprFromJson, MAX_RULE_DEPTH, RuleError, stripSpans, type Expr } from './ast.ts';
import { evaluateNumbers, evaluateTruth } from './columnar.ts';
import { compileNumber, compileTruth, CompileUnsupported } from './compile.ts';
import { explainRule } from './explain.ts';
import { parseRule } from './parse.ts';
import { printRule } from './print.ts';
import { typecheck } from './types.ts';

const ROOT = join(import.meta.dirname, '../../../../policies/reference');
const pack = parse(readFileSync(join(ROOT, 'pack.yaml'), 'utf8')) as PackDef;
const framework = parse(readFileSync(join(ROOT, 'assessment.yaml'), 'utf8')) as FrameworkDef;
const SHIPPED = [
  ...pack.policies.flatMap((p) => [p.rule, p.amount ?? '']),
  ...framework.indicators.map((x) => x.rule),
  ...REFERENCE_TAGS.map((t) => t.rule ?? ''),
].filter((t) => t !== '');

const ITERATIONS = 5000;
const SELECTION_ITERATIONS = 4000;

const population = randomPopulation(11, 25);
const view = new PopulationOnDate(population, '2026-11-28', (name) =>
  name === 'LIBAO' ? 1510 : name === 'BIG' ? 1e308 : NaN,
);
const TAGS = REFERENCE_TAGS.filter((t) => t.rule).slice(0, 6);
// The index sets the view's tag source, so rules may read tags through it.
const index = new TagIndex(
  view,
  TAGS.map((t, id) => ({ id, code: t.code, ownerCode: '', source: t.source, rule: parseRule(t.rule!) })),
);
const catalog = personCatalog({
  params: new Set(['LIBAO', 'BIG']),
  hasTag: (code) => TAGS.some((t) => t.code === code),
});

const WORDS = [
  'local',
  'age',
  'income',
  'household.size',
  'household.pc_income',
  'household.medical',
  'disability_grade',
  'severe_disability',
  'able_supporter',
  'employment',
  'school_stage',
  'chronic_illness',
  'labor_capacity',
  'LIBAO',
  'BIG',
  'holds',
  'identity',
  'eligible',
  'any',
  'all',
  'count',
  'tag',
  'true',
  'false',
  'null',
  'in',
  'agee',
  'household',
  'household.',
  '_',
  'a.b.c',
];
const OPS = [
  '&&',
  '||',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '!',
  '(',
  ')',
  '[',
  ']',
  ',',
  '?',
  ':',
  '&',
  '|',
  '=',
  '.',
  ';',
  '\\',
];
const NUMBERS = [
  '0',
  '1',
  '60',
  '-3',
  '17.5',
  '1e308',
  '1e999',
  '-1e999',
  '.5',
  '5.',
  '1e',
  '0x10',
  '9'.repeat(400),
  '1'.repeat(20) + '.' + '9'.repeat(20),
  'NaN',
  'Infinity',
];
const STRINGS = [
  '"是"',
  '"失业"',
  "'无'",
  '"失 业"',
  '"\\n"',
  '"\\q"',
  '"',
  "'",
  '"abc',
  '"\\',
  '"\u0000"',
  '"\ud800"',
  '"😀"',
  `"${'长'.repeat(500)}"`,
  '""',
];
const ODD = [
  '\u0000',
  '\ud800',
  '\udfff',
  '😀',
  '长',
  '（',
  '）',
  '\u200b',
  '\t',
  '\n',
  '\r',
  ' ',
  '$',
  '#',
  '@',
  '`',
  '\u00a0',
  '\ufeff',
];

function randomText(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const shape = r();
  if (shape < 0.25) {
    // Adversarial nesting: one opener repeated up to far past the cap, around a random core.
    const n = Math.floor(r() < 0.5 ? r() * (MAX_RULE_DEPTH * 2) : r() * 6000);
    const [open, close] = pick([
      ['!', ''],
      ['-', ''],
      ['(', ')'],
      ['any(', ')'],
      ['holds(', ')'],
      ['!(', ')'],
      ['- -', ''],
      ['local ? ', ' : 0'],
      ['[', ']'],
      ['count(', ') > 0'],
      ['x in [', ']'],
    ]);
    const core = pick([...WORDS, ...NUMBERS, ...STRINGS]);
    const closed = r() < 0.8 ? close.repeat(n) : close.repeat(Math.floor(r() * n));
    return open.repeat(n) + core + closed;
  }
  if (shape < 0.2) {
    // Well-formed conditions wrapped around each other up to and a little past the cap, to run the evaluators at the limit.
    const n = Math.floor(r() * (MAX_RULE_DEPTH + 4));
    let text = pick([
      'local',
      'age >= 60',
      'employment in ["失业", "无"]',
      'holds("DIBAO")',
      `tag("${TAGS[0]!.code}")`,
      'household.pc_income < 2 * LIBAO',
      'income * BIG > BIG',
    ]);
    for (let k = 0; k < n; k++) {
      text = pick([
        `!(${text})`,
        `(${text})`,
        `${text} && local`,
        `age < 18 || ${text}`,
        `any(${text})`,
        `(${text} ? 1 : 0) > 0`,
        `${text} == true`,
        `(${text}) != null`,
      ]);
    }
    return text;
  }
  if (shape < 0.4) {
    // Long chains of one operator.
    const n = Math.floor(r() * 3000);
    const op = pick(['&&', '||', '+', '*', '-', '/', '<', '==']);
    const operand = pick(['local', 'age > 1', '1', 'holds("DIBAO")', 'x', '(a || b)']);
    return Array.from({ length: n + 1 }, () => operand).join(` ${op} `);
  }
  if (shape < 0.45) return pick(SHIPPED);
  if (shape < 0.55) {
    // A shipped rule, mutated a little.
    let text = pick(SHIPPED);
    for (let k = Math.floor(r() * 4); k >= 0; k--) {
      const at = Math.floor(r() * (text.length + 1));
      const m = r();
      const piece = pick([...OPS, ...ODD, ...WORDS, ...NUMBERS, ...STRINGS]);
      text =
        m < 0.4
          ? text.slice(0, at) + piece + text.slice(at)
          : m < 0.7
            ? text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 5))
            : text.slice(0, at) + piece + text.slice(at + piece.length);
    }
    return text;
  }
  if (shape < 0.6) {
    // Very long names and literals.
    return pick([
      `${'a'.repeat(Math.floor(r() * 20000))} > 1`,
      `employment == "${'x'.repeat(Math.floor(r() * 12000))}"`,
      `${'1'.repeat(Math.floor(r() * 12000))} > age`,
      `household.${'x.'.repeat(Math.floor(r() * 4000))}size`,
    ]);
  }
  // Token soup.
  const n = Math.floor(r() * 40);
  let out = '';
  for (let k = 0; k < n; k++) {
    const x = r();
    out +=
      x < 0.35 ? pick(WORDS) : x < 0.65 ? pick(OPS) : x < 0.8 ? pick(NUMBERS) : x < 0.92 ? pick(STRINGS) : pick(ODD);
    if (r() < 0.6) out += ' ';
  }
  return out;
}

/** Runs one input through everything that takes a rule; returns what happened, or throws what should not have. */
function exercise(text: string): 'parse-error' | 'type-error' | 'evaluated' {
  let rule: Expr;
  try {
    rule = parseRule(text);
  } catch (err) {
    if (err instanceof RuleError) return 'parse-error';
    throw err;
  }
  if (exprDepth(rule) > MAX_RULE_DEPTH) throw new Error(`a tree of depth ${exprDepth(rule)} got through`);
  // Printing and the JSON form are total on whatever parsed, and read back to the same tree.
  const tree = stripSpans(rule);
  expect(stripSpans(parseRule(printRule(tree)))).toEqual(tree);
  expect(exprFromJson(JSON.parse(JSON.stringify(tree)))).toEqual(tree);
  let type: string;
  try {
    type = typecheck(rule, catalog);
  } catch (err) {
    if (err instanceof RuleError) return 'type-error';
    throw err;
  }
  const compiled = (f: () => void) => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof CompileUnsupported)) throw err;
    }
  };
  if (type === 'boolean' || type === 'null') {
    evaluateTruth(rule, view);
    compiled(() => compileTruth(rule, view).runAll(new Uint8Array(view.n)));
  } else if (type === 'number') {
    evaluateNumbers(rule, view);
    compiled(() => compileNumber(rule, view).runAll(new Float64Array(view.n)));
  }
  explainRule(rule, view.person(0), (name) => name === 'LIBAO' || name === 'BIG');
  return 'evaluated';
}

function crashOf(text: string, f: (t: string) => unknown): string | null {
  try {
    f(text);
    return null;
  } catch (err) {
    const shown =
      text.length > 120 ? `${JSON.stringify(text.slice(0, 120))}… (${text.length} chars)` : JSON.stringify(text);
    return `${shown}: ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`;
  }
}

describe('fuzzing the rule language', () => {
  it(`${ITERATIONS} random and adversarial rules: a result or a RuleError, never a crash`, () => {
    const r = prng(20261128);
    const outcomes = { 'parse-error': 0, 'type-error': 0, evaluated: 0 };
    const crashes: string[] = [];
    for (let k = 0; k < ITERATIONS; k++) {
      const text = randomText(r);
      const crash = crashOf(text, (t) => {
        outcomes[exercise(t)]++;
      });
      if (crash) crashes.push(crash);
    }
    expect(crashes.slice(0, 5)).toEqual([]);
    // The generator reaches every stage, so the evaluators were really exercised.
    expect(outcomes['parse-error']).toBeGreaterThan(ITERATIONS / 10);
    expect(outcomes['type-error']).toBeGreaterThan(10);
    expect(outcomes.evaluated).toBeGreaterThan(ITERATIONS / 20);
  });

  it('deep JSON trees of every node kind: a RuleError, never a crash', () => {
    const r = prng(7);
    const crashes: string[] = [];
    for (let k = 0; k < 200; k++) {
      const n = Math.floor(r() * 5000);
      let node: unknown = { kind: 'ref', name: 'local' };
      const kind = Math.floor(r() * 5);
      for (let j = 0; j < n; j++) {
        node =
          kind === 0
            ? { kind: 'unary', op: '!', operand: node }
            : kind === 1
              ? { kind: 'binary', op: '&&', left: node, right: { kind: 'ref', name: 'local' } }
              : kind === 2
                ? { kind: 'call', fn: 'any', args: [node] }
                : kind === 3
                  ? {
                      kind: 'conditional',
                      test: node,
                      then: { kind: 'literal', value: 1 },
                      otherwise: { kind: 'literal', value: 0 },
                    }
                  : { kind: 'in', value: node, list: [{ kind: 'literal', value: 'x' }] };
      }
      const crash = crashOf(String(k), () => {
        try {
          exprFromJson(node);
        } catch (err) {
          if (!(err instanceof RuleError)) throw err;
        }
      });
      if (crash) crashes.push(`${kind}×${n}: ${crash}`);
    }
    expect(crashes.slice(0, 5)).toEqual([]);
  });
});

describe('fuzzing the selection syntax', () => {
  const CODES = [
    ...TAGS.map((t) => t.code),
    '不存在的标签',
    '"有 空格"',
    '"',
    '""',
    '"未结束',
    'AND',
    'OR',
    'NOT',
    '且',
    '或',
    '非',
    '&&',
    '||',
    '!',
    '(',
    ')',
    '（',
    '）',
    '\u0000',
    '\ud800',
    '😀',
    'x'.repeat(3000),
  ];
  function randomSelection(r: () => number): string {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const shape = r();
    if (shape < 0.3) {
      const n = Math.floor(r() < 0.5 ? r() * (MAX_RULE_DEPTH * 2) : r() * 2500);
      const [open, close] = pick([
        ['NOT ', ''],
        ['! ', ''],
        ['非 ', ''],
        ['(', ')'],
        ['（', '）'],
        ['NOT (', ')'],
      ]);
      return open.repeat(n) + pick(CODES) + (r() < 0.8 ? close.repeat(n) : '');
    }
    if (shape < 0.5)
      return Array.from({ length: Math.floor(r() * (r() < 0.7 ? 80 : 1500)) + 1 }, () => pick(TAGS).code).join(
        pick([' AND ', ' OR ', ' 且 ', ' 或 ']),
      );
    const n = Math.floor(r() * 12);
    const ops = [' AND ', ' OR ', ' ', ' NOT ', ' AND NOT '];
    return Array.from({ length: n }, () => pick(r() < 0.6 ? TAGS.map((t) => t.code) : CODES)).join(
      r() < 0.8 ? pick(ops) : '',
    );
  }

  it(`${SELECTION_ITERATIONS} random and adversarial selections: a result or a RuleError, never a crash`, () => {
    const r = prng(4242);
    let parsed = 0;
    let selected = 0;
    const crashes: string[] = [];
    for (let k = 0; k < SELECTION_ITERATIONS; k++) {
      const text = randomSelection(r);
      const crash = crashOf(text, (t) => {
        let e: Expr;
        try {
          e = parseSelection(t);
        } catch (err) {
          if (err instanceof RuleError) return;
          throw err;
        }
        parsed++;
        if (exprDepth(e) > MAX_RULE_DEPTH) throw new Error(`a selection of depth ${exprDepth(e)} got through`);
        expect(stripSpans(parseSelection(printSelection(e)))).toEqual(stripSpans(e));
        selectionTags(e);
        try {
          index.select(e, '');
          selected++;
        } catch (err) {
          if (!(err instanceof RuleError)) throw err;
        }
      });
      if (crash) crashes.push(crash);
    }
    expect(crashes.slice(0, 5)).toEqual([]);
    expect(parsed).toBeGreaterThan(SELECTION_ITERATIONS / 10);
    expect(selected).toBeGreaterThan(SELECTION_ITERATIONS / 20);
  });
});
