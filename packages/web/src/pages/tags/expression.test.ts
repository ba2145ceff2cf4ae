import { describe, expect, it } from 'vitest';
// The server's parser, which the builder uses too: what the builder writes must mean to the server
// what the builder shows. (That its errors point where the server's do, and how codes are quoted,
// is tested with the parser: packages/engine/src/tags/tags.test.ts.)
import { parseSelection, printSelection } from '@tingjian/engine/browser';
import {
  addCondition,
  addGroup,
  builderFromExpr,
  builderTags,
  EMPTY_MODEL,
  expressionTags,
  highlight,
  printBuilder,
  readExpression,
  removeCondition,
  removeGroup,
  spanFromDetails,
  updateCondition,
  type BuilderModel,
} from './expression.ts';

const row = (code: string | null, negate = false) => ({ code, negate });

describe('builder → text', () => {
  it('writes AND groups of OR rows with parentheses where needed', () => {
    const model: BuilderModel = {
      join: 'and',
      groups: [
        { conditions: [row('独居老人')] },
        { conditions: [row('特困', true)] },
        { conditions: [row('重残'), row('大病')] },
      ],
    };
    expect(printBuilder(model)).toBe('独居老人 AND NOT 特困 AND (重残 OR 大病)');
  });

  it('writes OR groups of AND rows, parenthesised for reading', () => {
    const model: BuilderModel = {
      join: 'or',
      groups: [{ conditions: [row('高龄老人'), row('独居老人')] }, { conditions: [row('重残')] }],
    };
    expect(printBuilder(model)).toBe('(高龄老人 AND 独居老人) OR 重残');
    expect(printBuilder({ join: 'or', groups: [{ conditions: [row('低保'), row('大病', true)] }] })).toBe(
      '低保 AND NOT 大病',
    );
  });

  it('leaves out rows without a tag and empty groups', () => {
    expect(printBuilder(EMPTY_MODEL)).toBe('');
    expect(
      printBuilder({
        join: 'and',
        groups: [{ conditions: [row(null)] }, { conditions: [row('低保'), row(null)] }, { conditions: [] }],
      }),
    ).toBe('低保');
  });

  it('quotes codes with spaces, parentheses or keyword names', () => {
    expect(
      printBuilder({ join: 'and', groups: [{ conditions: [row('困难 家庭', true)] }, { conditions: [row('低保')] }] }),
    ).toBe('NOT "困难 家庭" AND 低保');
  });

  it('means to the server what the builder shows', () => {
    const models: BuilderModel[] = [
      {
        join: 'and',
        groups: [
          { conditions: [row('独居老人')] },
          { conditions: [row('特困', true)] },
          { conditions: [row('重残'), row('大病', true)] },
        ],
      },
      {
        join: 'or',
        groups: [{ conditions: [row('高龄老人'), row('独居老人', true)] }, { conditions: [row('困难 家庭')] }],
      },
    ];
    for (const model of models) {
      const text = printBuilder(model);
      // The server reads the text back, prints it normalised; that again reads as the same builder.
      const normalised = printSelection(parseSelection(text));
      const again = readExpression(normalised);
      expect(again.status, text).toBe('builder');
      expect(again.status === 'builder' && printBuilder(again.model)).toBe(text);
    }
  });
});

describe('text → builder', () => {
  it("reads the builder's shapes back", () => {
    expect(readExpression('独居老人 AND NOT 特困 AND (重残 OR 大病)')).toEqual({
      status: 'builder',
      model: {
        join: 'and',
        groups: [
          { conditions: [row('独居老人')] },
          { conditions: [row('特困', true)] },
          { conditions: [row('重残'), row('大病')] },
        ],
      },
    });
    expect(readExpression('高龄老人 and 独居老人 or 重残')).toEqual({
      status: 'builder',
      model: {
        join: 'or',
        groups: [{ conditions: [row('高龄老人'), row('独居老人')] }, { conditions: [row('重残')] }],
      },
    });
    expect(readExpression('NOT 特困')).toEqual({
      status: 'builder',
      model: { join: 'and', groups: [{ conditions: [row('特困', true)] }] },
    });
    expect(readExpression('独居老人 且 非 "困难 家庭"')).toEqual({
      status: 'builder',
      model: { join: 'and', groups: [{ conditions: [row('独居老人')] }, { conditions: [row('困难 家庭', true)] }] },
    });
  });

  it('flattens parentheses that do not change the meaning', () => {
    const r = readExpression('(低保 AND 大病) AND （重残）');
    expect(r.status === 'builder' && printBuilder(r.model)).toBe('低保 AND 大病 AND 重残');
  });

  it('round-trips every text it accepts', () => {
    for (const text of [
      '低保',
      'NOT 低保',
      '低保 OR 低收入 OR 困境儿童',
      '独居老人 AND NOT 特困 AND (重残 OR 大病)',
      '(高龄老人 AND 独居老人) OR 重残',
    ]) {
      const r = readExpression(text);
      expect(r.status, text).toBe('builder');
      expect(r.status === 'builder' && printBuilder(r.model), text).toBe(text);
    }
  });

  it('calls other valid shapes advanced', () => {
    expect(readExpression('NOT (低保 OR 特困)').status).toBe('advanced');
    expect(readExpression('NOT NOT 低保').status).toBe('advanced');
    expect(readExpression('独居老人 AND (重残 OR (大病 AND 低保))').status).toBe('advanced');
    expect(readExpression('(低保 OR 特困) OR (大病 AND 重残)').status).toBe('builder');
  });

  it('says empty for blank text and invalid for text that does not parse', () => {
    expect(readExpression('  ')).toEqual({ status: 'empty', model: EMPTY_MODEL });
    expect(readExpression('独居老人 AND')).toEqual({
      status: 'invalid',
      error: { message: '此处应为标签名或 “(”', start: 8, end: 8 },
    });
  });

  it('lists the tags named', () => {
    expect(expressionTags('独居老人 AND NOT 特困 AND (重残 OR 独居老人)')).toEqual(['独居老人', '特困', '重残']);
    expect(expressionTags('独居老人 AND')).toEqual([]);
    expect(builderFromExpr({ kind: 'tag', code: '低保' })).toEqual({
      join: 'and',
      groups: [{ conditions: [row('低保')] }],
    });
  });
});

describe('builder edits', () => {
  it('adds, changes and removes rows and groups', () => {
    let m = addGroup(EMPTY_MODEL, '独居老人');
    m = addGroup(m);
    m = updateCondition(m, 1, 0, { code: '特困', negate: true });
    m = addCondition(m, 1);
    m = updateCondition(m, 1, 1, { code: '大病' });
    expect(printBuilder(m)).toBe('独居老人 AND (NOT 特困 OR 大病)');
    expect(builderTags(m)).toEqual(['独居老人', '特困', '大病']);
    m = removeCondition(m, 1, 0);
    expect(printBuilder(m)).toBe('独居老人 AND 大病');
    // A group whose last row goes, goes with it.
    m = removeCondition(m, 0, 0);
    expect(m.groups).toHaveLength(1);
    expect(printBuilder(removeGroup(m, 0))).toBe('');
  });
});

describe('error highlighting', () => {
  it("reads the span from the server's details", () => {
    expect(spanFromDetails({ start: 5, end: 9, column: 6 })).toEqual({ start: 5, end: 9 });
    expect(spanFromDetails({ start: 3 })).toEqual({ start: 3, end: 3 });
    expect(spanFromDetails({ start: 3, end: 1 })).toEqual({ start: 3, end: 3 });
    expect(spanFromDetails(null)).toBeNull();
    expect(spanFromDetails([{ where: 'body', message: 'x' }])).toBeNull();
    expect(spanFromDetails({ start: -1, end: 2 })).toBeNull();
  });

  it('marks the span, one character for an empty span, the end past the text', () => {
    expect(highlight('独居老人 AND agee', { start: 9, end: 13 })).toEqual({
      before: '独居老人 AND ',
      marked: 'agee',
      after: '',
      atEnd: false,
    });
    expect(highlight('独居老人 特困', { start: 5, end: 5 })).toEqual({
      before: '独居老人 ',
      marked: '特',
      after: '困',
      atEnd: false,
    });
    expect(highlight('独居老人 AND', { start: 8, end: 8 })).toEqual({
      before: '独居老人 AND',
      marked: '',
      after: '',
      atEnd: true,
    });
    // A span from an older, longer text is clamped.
    expect(highlight('低保', { start: 7, end: 12 })).toEqual({ before: '低保', marked: '', after: '', atEnd: true });
    expect(highlight('𠀀 AND', { start: 0, end: 0 }).marked).toBe('𠀀');
  });
});
