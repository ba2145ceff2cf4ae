import { describe, expect, it } from 'vitest';
import type { TagView } from '../../api/tags.ts';
import {
  allTags,
  canCreateTags,
  categoryColor,
  categoryName,
  codesOf,
  dictionaryTree,
  manualTags,
  sourceName,
  tagOptions,
  type Level,
} from './dictionary.ts';

const tag = (
  id: number,
  code: string,
  category: TagView['category'],
  source: TagView['source'],
  ownerCode: string,
  extra: Partial<TagView> = {},
): TagView => ({
  id,
  code,
  category,
  source,
  ownerCode,
  ownerName: ownerCode,
  ownerLevel: '',
  description: `${code}的说明`,
  keeper: null,
  rule: null,
  editable: false,
  count: id * 10,
  createdBy: 'system',
  createdAt: '2026-01-01T00:00:00Z',
  updatedBy: 'system',
  updatedAt: '2026-01-01T00:00:00Z',
  ...extra,
});

const levels: Level[] = [
  {
    code: '3101',
    name: '上海市',
    level: 'city',
    tags: [tag(1, '低保', '救助类', 'imported', '3101'), tag(2, '特困', '救助类', 'imported', '3101')],
  },
  {
    code: '310105',
    name: '长宁区',
    level: 'district',
    tags: [
      tag(3, '重残', '救助类', 'rule', '310105'),
      tag(4, '社会帮扶', '救助类', 'manual', '310105'),
      tag(5, '志愿者', '身份类', 'imported', '310105'),
    ],
  },
  {
    code: '310105001',
    name: '华阳路街道',
    level: 'street',
    tags: [tag(6, '独居老人', '身份类', 'rule', '310105001', { editable: true })],
  },
  { code: '310105001001', name: '某居委会', level: 'committee', tags: [] },
];

describe('the dictionary tree', () => {
  it('lists every level, city first, with its tags', () => {
    const rows = dictionaryTree(levels);
    expect(rows.map((r) => r.key)).toEqual(['level:3101', 'level:310105', 'level:310105001', 'level:310105001001']);
    const street = rows[2]!;
    expect(street.kind === 'level' && street.children.map((c) => c.key)).toEqual(['tag:6']);
  });

  it('filters by text, category and source, dropping levels left empty', () => {
    const byText = dictionaryTree(levels, { q: '独居', category: null, source: null });
    expect(byText.map((r) => r.key)).toEqual(['level:310105001']);
    const manual = dictionaryTree(levels, { q: '', category: null, source: 'manual' });
    expect(manual.flatMap((r) => (r.kind === 'level' ? r.children.map((c) => c.key) : []))).toEqual(['tag:4']);
    const identity = dictionaryTree(levels, { q: '', category: '身份类', source: null });
    expect(identity.map((r) => r.key)).toEqual(['level:310105', 'level:310105001']);
    // The description matches too.
    expect(dictionaryTree(levels, { q: '特困的说明', category: null, source: null }).length).toBe(1);
  });

  it('offers tags grouped by owner, manual ones for bulk tagging, codes of a category for ranking', () => {
    const groups = tagOptions(levels);
    expect(groups.map((g) => g.label)).toEqual(['上海市', '长宁区', '华阳路街道']);
    expect(groups[1]!.options.map((o) => o.value)).toEqual(['重残', '社会帮扶', '志愿者']);
    expect(manualTags(levels).map((t) => t.code)).toEqual(['社会帮扶']);
    expect(codesOf(levels, '救助类')).toEqual(['低保', '特困', '重残', '社会帮扶']);
    expect(allTags(levels)).toHaveLength(6);
  });

  it('names categories and sources in both languages', () => {
    expect(categoryName('救助类', 'en')).toBe('Assistance');
    expect(categoryName('救助类', 'zh')).toBe('救助类');
    expect(categoryName('其他', 'en')).toBe('其他');
    expect(sourceName('manual', 'zh')).toBe('人工标注');
    expect(sourceName('rule', 'en')).toBe('Rule');
    expect(categoryColor('救助类')).toBe('volcano');
    expect(categoryColor('?')).toBe('default');
    expect(canCreateTags('street')).toBe(true);
    expect(canCreateTags('adviser')).toBe(false);
  });
});
