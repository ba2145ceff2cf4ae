/**
 * The size and nesting caps of the rule and selection parsers: a rule deeper than the evaluators'
 * recursion can bear is refused when written, with the position, so that it never reaches a scan
 * (where it overflowed the stack for every street). Every shipped rule stays far inside.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileFramework, type FrameworkDef } from '../assessment/framework.ts';
import { compilePack, type PackDef } from '../policies/pack.ts';
import { scanPopulation } from '../policies/scan.ts';
import { PopulationOnDate, personCatalog } from '../population/facts.ts';
import { randomPopulation } from '../population/population.fixture.ts';
import { REFERENCE_TAGS } from '../tags/dictionary.ts';
import { parseSelection, printSelection } from '../tags/selection.ts';
import {
  exprDepth,
  exprFromJson,
  MAX_RULE_DEPTH,
  MAX_RULE_LENGTH,
  MAX_SELECTION_LENGTH,
  RuleError,
  stripSpans,
  walk,
  type Expr,
} from './ast.ts';
import { evaluateTruth } from './columnar.ts';
import { compileTruth } from './compile.ts';
import { explainRule } from './explain.ts';
import { parseRule } from './parse.ts';
import { printRule } from './print.ts';
import { checkCondition } from './types.ts';

const ROOT = join(import.meta.dirname, '../../../../policies/reference');
const packDef = parse(readFileSync(join(ROOT, 'pack.yaml'), 'utf8')) as PackDef;
const frameworkDef = parse(readFileSync(join(ROOT, 'assessment.yaml'), 'utf8')) as FrameworkDef;

const errorOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return new Error('no error');
};
/** The error a parser gives: its own RuleError naming the position, never a RangeError. */
const parseError = (f: () => unknown): RuleError => {
  const err = errorOf(f);
  expect(err, String(err)).toBeInstanceOf(RuleError);
  return err as RuleError;
};

describe('rule parser caps', () => {
  it('refuses 2,000 “!” before a fact, at the 65th, and names the cap', () => {
    const err = parseError(() => parseRule(`${'!'.repeat(2000)}local`));
    expect(err.message).toBe(`第 65 个字符处：嵌套超过 ${MAX_RULE_DEPTH} 层，请拆分或简化规则`);
    expect(err.column).toBe(65);
  });

  it('refuses 950 nested parentheses, and 20,000 (where the parser itself would overflow)', () => {
    expect(parseError(() => parseRule(`${'('.repeat(950)}local${')'.repeat(950)}`)).message).toMatch(
      /^第 65 个字符处：嵌套超过 64 层/,
    );
    expect(parseError(() => parseRule(`${'('.repeat(4990)}local${')'.repeat(4990)}`)).message).toMatch(
      /嵌套超过 64 层/,
    );
    expect(parseError(() => parseRule(`${'-'.repeat(9000)}1`)).message).toMatch(/嵌套超过 64 层/);
    expect(parseError(() => parseRule(`${'any('.repeat(900)}local${')'.repeat(900)}`)).message).toMatch(
      /嵌套超过 64 层/,
    );
    expect(parseError(() => parseRule(`${'local ? 1 : '.repeat(800)}0`)).message).toMatch(/嵌套超过 64 层/);
  });

  it('counts a long chain of operators as nesting too (each one deepens the tree the evaluators walk)', () => {
    const chain = (n: number) => Array.from({ length: n }, () => 'local').join(' || ');
    expect(() => parseRule(chain(MAX_RULE_DEPTH))).not.toThrow();
    const err = parseError(() => parseRule(chain(1000)));
    expect(err.message).toMatch(/^第 \d+ 个字符处：嵌套超过 64 层/);
    expect(parseError(() => parseRule(Array.from({ length: 2000 }, () => '1').join(' + ') + ' > 0')).message).toMatch(
      /嵌套超过 64 层/,
    );
  });

  it('accepts exactly 64 levels, and every evaluator handles them', () => {
    const deepest = `${'!'.repeat(MAX_RULE_DEPTH - 1)}local`;
    const rule = parseRule(deepest);
    expect(exprDepth(rule)).toBe(MAX_RULE_DEPTH);
    expect(parseError(() => parseRule(`!${deepest}`)).column).toBe(1);
    const parens = `${'('.repeat(MAX_RULE_DEPTH)}local${')'.repeat(MAX_RULE_DEPTH)}`;
    expect(() => parseRule(parens)).not.toThrow();
    expect(parseError(() => parseRule(`(${parens})`)).column).toBe(MAX_RULE_DEPTH + 1);
    const view = new PopulationOnDate(randomPopulation(3, 20), '2026-11-28');
    checkCondition(rule, personCatalog());
    const columnar = evaluateTruth(rule, view);
    const out = new Uint8Array(view.n);
    compileTruth(rule, view).runAll(out);
    expect([...out]).toEqual([...columnar]);
    explainRule(rule, view.person(0));
    expect(stripSpans(parseRule(printRule(rule)))).toEqual(stripSpans(rule));
  });

  it(`refuses a rule text of more than ${MAX_RULE_LENGTH} characters, at the first one too many`, () => {
    const text = `local && ${'"'}${'x'.repeat(MAX_RULE_LENGTH)}${'"'} == employment`;
    const err = parseError(() => parseRule(text));
    expect(err.message).toBe(
      `第 ${MAX_RULE_LENGTH + 1} 个字符处：规则过长（共 ${text.length} 个字符，最多 ${MAX_RULE_LENGTH} 个）`,
    );
  });

  it('leaves every shipped rule far inside the caps', () => {
    const texts = [
      ...packDef.policies.flatMap((p) => [p.rule, p.amount ?? null]),
      ...frameworkDef.indicators.map((x) => x.rule),
      ...REFERENCE_TAGS.map((t) => t.rule),
    ].filter((t): t is string => typeof t === 'string');
    expect(texts.length).toBeGreaterThan(30);
    for (const text of texts) {
      expect(text.length).toBeLessThan(MAX_RULE_LENGTH / 10);
      expect(exprDepth(parseRule(text))).toBeLessThanOrEqual(MAX_RULE_DEPTH / 4);
    }
    // And the pack and framework still compile and scan.
    const pack = compilePack(packDef);
    compileFramework(frameworkDef, pack);
    scanPopulation(pack, randomPopulation(5, 30), '2026-11-28');
  });
});

describe('JSON form caps', () => {
  it('refuses a tree deeper than the cap by its path, whatever the depth', () => {
    let deep: unknown = { kind: 'ref', name: 'local' };
    for (let k = 0; k < 20_000; k++) deep = { kind: 'unary', op: '!', operand: deep };
    const err = parseError(() => exprFromJson(deep));
    expect(err.message).toMatch(/^规则 JSON 不正确（\$(\.operand){64}）：嵌套超过 64 层/);
    let ok: unknown = { kind: 'ref', name: 'local' };
    for (let k = 1; k < MAX_RULE_DEPTH; k++) ok = { kind: 'unary', op: '!', operand: ok };
    expect(exprDepth(exprFromJson(ok))).toBe(MAX_RULE_DEPTH);
  });

  it('measures depth without recursing (a tree built in code of any depth)', () => {
    let e: Expr = parseRule('local');
    for (let k = 0; k < 100_000; k++) e = { kind: 'unary', op: '!', operand: e };
    expect(exprDepth(e)).toBe(100_001);
    expect([...walk(parseRule('a && (b || !c)'))].length).toBe(6);
  });
});

describe('selection parser caps', () => {
  it('refuses 900 NOT, 950 nested parentheses and a chain of 600 ANDs, naming the position', () => {
    expect(parseError(() => parseSelection(`${'NOT '.repeat(900)}独居老人`)).message).toBe(
      '第 257 个字符处：嵌套超过 64 层，请拆分或简化圈选条件',
    );
    expect(parseError(() => parseSelection(`${'! '.repeat(1500)}独居老人`)).message).toMatch(/嵌套超过 64 层/);
    expect(parseError(() => parseSelection(`${'('.repeat(950)}独居老人${')'.repeat(950)}`)).message).toMatch(
      /^第 65 个字符处：嵌套超过 64 层/,
    );
    expect(parseError(() => parseSelection(`${'（'.repeat(1900)}a${'）'.repeat(1900)}`)).message).toMatch(
      /嵌套超过 64 层/,
    );
    expect(parseError(() => parseSelection(Array.from({ length: 600 }, () => 'a').join(' AND '))).message).toMatch(
      /嵌套超过 64 层/,
    );
  });

  it(`refuses a selection of more than ${MAX_SELECTION_LENGTH} characters`, () => {
    const text = Array.from({ length: 1000 }, (_, k) => `t${k}`).join(' OR ');
    expect(text.length).toBeGreaterThan(MAX_SELECTION_LENGTH);
    expect(parseError(() => parseSelection(text)).message).toBe(
      `第 ${MAX_SELECTION_LENGTH + 1} 个字符处：圈选条件过长（共 ${text.length} 个字符，最多 ${MAX_SELECTION_LENGTH} 个）`,
    );
  });

  it('accepts ordinary selections and 64 levels', () => {
    const deep = `${'NOT '.repeat(MAX_RULE_DEPTH - 1)}独居老人`;
    expect(exprDepth(parseSelection(deep))).toBe(MAX_RULE_DEPTH);
    expect(printSelection(parseSelection('独居老人 AND NOT 特困 AND (重残 OR 大病)'))).toBe(
      '独居老人 AND NOT 特困 AND (重残 OR 大病)',
    );
  });
});
