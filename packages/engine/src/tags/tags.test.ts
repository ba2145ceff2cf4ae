import { describe, expect, it } from 'vitest';
import { RuleError, stripSpans } from '../rules/ast.ts';
import { parseRule } from '../rules/parse.ts';
import { PopulationOnDate } from '../population/facts.ts';
import { makePopulation, prng } from '../population/population.fixture.ts';
import { referenceDictionary, REFERENCE_TAGS, tagCodeClashes, tagEditableBy, tagVisibleTo } from './dictionary.ts';
import {
  parseSelection,
  printSelection,
  quoteSelectionCode,
  readSelection,
  selectionOperands,
  selectionTags,
} from './selection.ts';
import { TagIndex, type IndexedTag } from './tag-index.ts';
import { checkCondition } from '../rules/types.ts';
import { personCatalog } from '../population/facts.ts';

const errorOf = (f: () => unknown): RuleError => {
  try {
    f();
  } catch (e) {
    return e as RuleError;
  }
  throw new Error('no error');
};

describe('selection syntax', () => {
  it.each([
    '独居老人 AND NOT 特困 AND (重残 OR 大病)',
    '0-3岁儿童 OR 困境儿童',
    'NOT (低保 OR 低收入) AND 高龄老人',
    '"有 空格" AND a',
  ])('parses and prints back: %s', (text) => {
    const tree = stripSpans(parseSelection(text));
    expect(stripSpans(parseSelection(printSelection(tree)))).toEqual(tree);
  });
  it('gives AND precedence over OR, accepts lower case and Chinese keywords and brackets', () => {
    expect(printSelection(parseSelection('a or b and c'))).toBe('a OR b AND c');
    expect(stripSpans(parseSelection('a 且 非 b'))).toEqual(stripSpans(parseSelection('a AND NOT b')));
    expect(stripSpans(parseSelection('（a OR b） AND c'))).toEqual(stripSpans(parseSelection('(a OR b) AND c')));
  });
  it('names the position of a syntax error', () => {
    expect(errorOf(() => parseSelection('独居老人 AND')).message).toBe(
      '第 9 个字符处：此处应为标签名或 “(”，但表达式已结束',
    );
    expect(errorOf(() => parseSelection('独居老人 特困')).column).toBe(6);
    expect(errorOf(() => parseSelection('(a OR b')).message).toMatch(/应为 “\)”/);
    expect(errorOf(() => parseSelection('a)')).message).toMatch(/第 2 个字符处：多余的/);
    expect(errorOf(() => parseSelection('  ')).message).toMatch(/为空/);
  });
  it('lists the codes it names', () => {
    expect(selectionTags(parseSelection('a AND (b OR NOT a)')).map((t) => t.code)).toEqual(['a', 'b']);
  });
});

describe('selection syntax for an editor', () => {
  it('answers the tree, or the problem without throwing', () => {
    const read = readSelection('独居老人 AND NOT 特困');
    expect('expr' in read && printSelection(read.expr)).toBe('独居老人 AND NOT 特困');
    expect(readSelection('独居老人 AND')).toEqual({
      error: {
        message: '第 9 个字符处：此处应为标签名或 “(”，但表达式已结束',
        reason: '此处应为标签名或 “(”',
        start: 8,
        end: 8,
      },
    });
    expect(readSelection('独居老人 特困')).toEqual({
      error: {
        message: '第 6 个字符处：此处缺少 AND 或 OR，而不是 “特困”',
        reason: '此处缺少 AND 或 OR',
        start: 5,
        end: 7,
      },
    });
    expect(readSelection('"困难 家庭')).toEqual({
      error: { message: '第 1 个字符处：标签名缺少结束引号', reason: '标签名缺少结束引号', start: 0, end: 6 },
    });
  });

  // Moved from the web app's own parser, which this replaces: the editor marks where the server points.
  it('finds errors where parseSelection does', () => {
    for (const text of [
      '独居老人 AND',
      '独居老人 特困',
      '(低保 OR 特困',
      '低保)',
      '"困难 家庭',
      '独居老人 AND ""',
      '',
      'OR 低保',
      '低保 NOT 特困',
    ]) {
      const mine = readSelection(text);
      let theirs: { start: number; end: number } | null = null;
      try {
        parseSelection(text);
      } catch (e) {
        theirs = { start: (e as { start: number }).start, end: (e as { end: number }).end };
      }
      expect(theirs, text).not.toBeNull();
      expect('error' in mine && { start: mine.error.start, end: mine.error.end }, text).toEqual(theirs);
    }
  });

  it('names the limits as problems too', () => {
    const long = readSelection('a OR '.repeat(1000) + 'b');
    expect('error' in long && long.error.reason).toMatch(/^圈选条件过长/);
    const deep = readSelection('NOT '.repeat(80) + 'a');
    expect('error' in deep && deep.error.reason).toMatch(/^嵌套超过 64 层/);
  });

  it('flattens a chain through parentheses that do not change it', () => {
    const codes = (text: string, op: '&&' | '||') =>
      selectionOperands(parseSelection(text), op).map((x) => (x.kind === 'tag' ? x.code : printSelection(x)));
    expect(codes('(低保 AND 大病) AND （重残）', '&&')).toEqual(['低保', '大病', '重残']);
    expect(codes('a AND (b AND c)', '&&')).toEqual(['a', 'b', 'c']);
    expect(codes('a OR b AND c OR d', '||')).toEqual(['a', 'b AND c', 'd']);
    expect(codes('a OR b', '&&')).toEqual(['a OR b']);
    expect(codes('NOT a', '||')).toEqual(['NOT a']);
  });

  it('quotes a code that has spaces or parentheses or is a keyword', () => {
    expect(quoteSelectionCode('0-3岁儿童')).toBe('0-3岁儿童');
    expect(quoteSelectionCode('困难 家庭')).toBe('"困难 家庭"');
    expect(quoteSelectionCode('低保(边缘)')).toBe('"低保(边缘)"');
    expect(quoteSelectionCode('或')).toBe('"或"');
    expect(quoteSelectionCode('and')).toBe('"and"');
    expect(parseSelection(quoteSelectionCode('非'))).toMatchObject({ kind: 'tag', code: '非' });
  });
});

describe('reference dictionary', () => {
  const tags = referenceDictionary({
    cityCode: '3101',
    districtCode: '310105',
    streetCodes: ['310105001', '310105002'],
  });
  it('ships every reference tag, street tags once per street', () => {
    expect(tags.filter((t) => t.code === '独居老人').map((t) => t.ownerCode)).toEqual(['310105001', '310105002']);
    expect(tags).toHaveLength(13 + 4 * 2);
  });
  it('has rules that check against the person catalogue', () => {
    for (const t of REFERENCE_TAGS) if (t.rule) checkCondition(parseRule(t.rule), personCatalog());
  });
  it('shows a tag in its unit and below, never in a sibling or parent; only the owner edits it', () => {
    expect(tagVisibleTo('310105001', '310105001003')).toBe(true);
    expect(tagVisibleTo('310105001', '310105002')).toBe(false);
    expect(tagVisibleTo('310105001', '310105')).toBe(false);
    expect(tagVisibleTo('3101', '310105001')).toBe(true);
    expect(tagEditableBy('310105', '310105001')).toBe(false);
    expect(tagEditableBy('310105001', '310105001')).toBe(true);
    expect(tagCodeClashes('独居老人', '310105001001', tags)).toBe(true);
    expect(tagCodeClashes('独居老人', '310105', tags)).toBe(true);
    expect(tagCodeClashes('楼组长', '310105001001', tags)).toBe(false);
  });
});

describe('tag index', () => {
  // Two streets, three committees; ids sorted so dense numbers follow id order.
  const committees = ['310105001001', '310105001002', '310105002001'];
  const rnd = prng(3);
  const residents = Array.from({ length: 300 }, (_, i) => ({
    id_number: `P${String(i).padStart(4, '0')}`,
    household_id: `H${i % 120}`,
    birth_date: i === 299 ? '2030-01-01' : `${1925 + Math.floor(rnd() * 100)}-06-15`,
    chronic_illness: rnd() < 0.3 ? '是' : '否',
    disability_grade: rnd() < 0.1 ? 1 : null,
  }));
  const population = makePopulation({
    households: Array.from({ length: 120 }, (_, h) => ({ household_id: `H${h}`, committee_code: committees[h % 3]! })),
    residents,
    enrollments: residents
      .filter((_, i) => i % 7 === 0)
      .map((r) => ({ id_number: r.id_number, benefit_code: 'TEKUN', start_date: '2020-01-01', end_date: null })),
  });
  const view = new PopulationOnDate(population, '2026-11-28');
  const tagDefs: IndexedTag[] = [
    { id: 1, code: '特困', ownerCode: '3101', source: 'imported', rule: parseRule('holds("TEKUN")') },
    { id: 2, code: '大病', ownerCode: '310105', source: 'rule', rule: parseRule('chronic_illness == "是"') },
    { id: 3, code: '重残', ownerCode: '310105', source: 'rule', rule: parseRule('severe_disability') },
    { id: 4, code: '高龄老人', ownerCode: '310105001', source: 'rule', rule: parseRule('age >= 80') },
    { id: 5, code: '高龄老人', ownerCode: '310105002', source: 'rule', rule: parseRule('age >= 80') },
    { id: 6, code: '社会帮扶', ownerCode: '310105', source: 'manual', rule: null, members: [0, 5, 10, 299] },
  ];
  const index = new TagIndex(view, tagDefs);
  const committeeOf = (i: number) => committees[Number(residents[i]!.household_id.slice(1)) % 3]!;
  const ageOf = (i: number) =>
    2026 - Number(residents[i]!.birth_date.slice(0, 4)) - (residents[i]!.birth_date.slice(5) > '11-28' ? 1 : 0);
  const brute = (pred: (i: number) => boolean, scope = '') =>
    residents.map((_, i) => i).filter((i) => i !== 299 && committeeOf(i).startsWith(scope) && pred(i));

  it('evaluates a selection like a filter over every resident, within the scope', () => {
    const sel = parseSelection('高龄老人 AND NOT 特困 AND (大病 OR 重残)');
    const want = brute(
      (i) =>
        ageOf(i) >= 80 &&
        i % 7 !== 0 &&
        (residents[i]!.chronic_illness === '是' || residents[i]!.disability_grade === 1),
    );
    expect(index.select(sel, '').toArray()).toEqual(want);
    expect(index.select(sel, '310105001').toArray()).toEqual(
      want.filter((i) => committeeOf(i).startsWith('310105001')),
    );
    expect(index.select(parseSelection('NOT 特困'), '310105002').toArray()).toEqual(
      brute((i) => i % 7 !== 0, '310105002'),
    );
    for (const scope of ['', '310105001', '310105001002', '310105002001'])
      expect(index.count(sel, scope)).toBe(index.select(sel, scope).size);
  });

  it('rejects a tag the scope cannot see, naming it', () => {
    expect(() => index.select(parseSelection('高龄老人'), '310105')).toThrow(/第 1 个字符处：未知标签 “高龄老人”/);
    expect(() => index.select(parseSelection('大病 OR 不存在'), '310105001')).toThrow(/第 7 个字符处/);
  });

  it('leaves out residents not yet born, and manual members outside the owner or not born', () => {
    expect(index.bitmap(6)!.toArray()).toEqual([0, 5, 10]);
    expect(index.unit('').has(299)).toBe(false);
  });

  it('ranks by the number of tags carried, then by id number, page by page', () => {
    const sel = index.select(parseSelection('大病 OR 重残 OR 特困'), '');
    const ranking = [index.resolve('大病', '')!, index.resolve('重残', '')!, index.resolve('特困', '')!];
    const all = index.rank(sel, ranking, 0, 1000);
    const score = (i: number) =>
      (residents[i]!.chronic_illness === '是' ? 1 : 0) +
      (residents[i]!.disability_grade === 1 ? 1 : 0) +
      (i % 7 === 0 ? 1 : 0);
    const want = brute((i) => score(i) > 0)
      .map((i) => ({ index: i, rank: score(i) }))
      .sort((a, b) => b.rank - a.rank || a.index - b.index);
    expect(all.rows).toEqual(want);
    expect(all.byRank[0]).toBe(0);
    expect(all.byRank.reduce((a, b) => a + b, 0)).toBe(sel.size);
    const page = index.rank(sel, ranking, 7, 5);
    expect(page.rows).toEqual(want.slice(7, 12));
  });

  it('counts a selection by area and follows manual assignments at once', () => {
    const sel = index.select(parseSelection('大病'), '');
    const counts = index.countBy(sel, ['310105001', '310105002']);
    expect(counts[0]! + counts[1]!).toBe(sel.size);
    index.addMember(6, 20);
    expect(index.select(parseSelection('社会帮扶'), '').toArray()).toEqual([0, 5, 10, 20]);
    index.removeMember(6, 20);
    expect(index.select(parseSelection('社会帮扶'), '').toArray()).toEqual([0, 5, 10]);
    expect(index.memoryBytes()).toBeGreaterThan(0);
  });
});
