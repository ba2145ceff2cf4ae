/**
 * The dictionary as the pages show it: a tree of levels (city → district → street → committee)
 * with their tags, filtered; tag choices for selects; names and colours of categories and
 * sources. Pure data, testable without a DOM.
 */
import { may } from '@tingjian/engine/browser';
import type { DictionaryResponse, TagCategory, TagSource, TagView } from '../../api/tags.ts';
import type { Entry, Lang } from '../../app/i18n.ts';

/** Hardship tags in warm colours: they are the ones a worker looks for first. */
export const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  救助类: 'volcano',
  自治类: 'green',
  身份类: 'geekblue',
};

export const CATEGORY_NAMES: Readonly<Record<TagCategory, Entry>> = {
  救助类: { zh: '救助类', en: 'Assistance' },
  自治类: { zh: '自治类', en: 'Self-governance' },
  身份类: { zh: '身份类', en: 'Identity' },
};

export const SOURCE_NAMES: Readonly<Record<TagSource, Entry>> = {
  imported: { zh: '数据导入', en: 'Imported' },
  rule: { zh: '规则生成', en: 'Rule' },
  manual: { zh: '人工标注', en: 'Manual' },
};

export const categoryColor = (category: string): string => CATEGORY_COLORS[category] ?? 'default';
export const categoryName = (category: string, lang: Lang): string =>
  CATEGORY_NAMES[category as TagCategory]?.[lang] ?? category;
export const sourceName = (source: string, lang: Lang): string => SOURCE_NAMES[source as TagSource]?.[lang] ?? source;

export type Level = DictionaryResponse['levels'][number];

export interface DictionaryFilter {
  readonly q: string;
  readonly category: TagCategory | null;
  readonly source: TagSource | null;
}

export const NO_FILTER: DictionaryFilter = { q: '', category: null, source: null };

export function matchesFilter(tag: TagView, filter: DictionaryFilter): boolean {
  const q = filter.q.trim().toLowerCase();
  if (q !== '' && !tag.code.toLowerCase().includes(q) && !tag.description.toLowerCase().includes(q)) return false;
  if (filter.category && tag.category !== filter.category) return false;
  if (filter.source && tag.source !== filter.source) return false;
  return true;
}

export type DictionaryRow =
  | {
      readonly key: string;
      readonly kind: 'level';
      readonly level: Level;
      readonly total: number;
      readonly children: DictionaryRow[];
    }
  | { readonly key: string; readonly kind: 'tag'; readonly tag: TagView };

/**
 * Rows of the tree table: one per level, its matching tags below. A level with no match is left
 * out while filtering, kept otherwise (the user's own unit may have no tags of its own yet).
 */
export function dictionaryTree(levels: readonly Level[], filter: DictionaryFilter = NO_FILTER): DictionaryRow[] {
  const filtering = filter.q.trim() !== '' || filter.category !== null || filter.source !== null;
  return levels.flatMap((level): DictionaryRow[] => {
    const tags = level.tags.filter((t) => matchesFilter(t, filter));
    if (filtering && tags.length === 0) return [];
    return [
      {
        key: `level:${level.code}`,
        kind: 'level',
        level,
        total: level.tags.length,
        children: tags.map((tag) => ({ key: `tag:${tag.id}`, kind: 'tag', tag })),
      },
    ];
  });
}

/** Every visible tag, city first. */
export function allTags(levels: readonly Level[]): TagView[] {
  return levels.flatMap((l) => l.tags);
}

export interface TagOptionGroup {
  readonly label: string;
  readonly title: string;
  readonly options: ReadonlyArray<{ readonly value: string; readonly label: string; readonly tag: TagView }>;
}

/** Tag choices for a Select, grouped by owning unit; codes are unique among the visible tags. */
export function tagOptions(levels: readonly Level[], keep: (t: TagView) => boolean = () => true): TagOptionGroup[] {
  return levels
    .map((l) => ({
      label: l.name,
      title: l.name,
      options: l.tags.filter(keep).map((tag) => ({ value: tag.code, label: tag.code, tag })),
    }))
    .filter((g) => g.options.length > 0);
}

/** Manual tags the user may set on residents (the server checks again). */
export function manualTags(levels: readonly Level[]): TagView[] {
  return allTags(levels).filter((t) => t.source === 'manual');
}

/** The codes of a category, e.g. every 救助类 tag for "rank by all hardship tags". */
export function codesOf(levels: readonly Level[], category: TagCategory): string[] {
  return allTags(levels)
    .filter((t) => t.category === category)
    .map((t) => t.code);
}

/** Who may create tags: everyone but advisers (the table of who may do what, which the server refuses by). */
export function canCreateTags(role: string): boolean {
  return may(role, 'tag.write');
}
