/**
 * Search keys for Chinese names: full pinyin without tones or spaces ("zhangwei") and initials
 * ("zw"), so that workers find 张伟 by typing either. pinyin-pro resolves polyphonic surnames
 * (单, 曾, 解...) in surname mode; a cache keeps repeated names cheap during bulk imports.
 */
import { pinyin } from 'pinyin-pro';

export interface NameKeys {
  readonly pinyin: string;
  readonly initials: string;
}

const cache = new Map<string, NameKeys>();
const CACHE_LIMIT = 200_000;

export function nameSearchKeys(name: string): NameKeys {
  const hit = cache.get(name);
  if (hit) return hit;
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive', v: true });
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).filter((s) => s.length > 0);
  const keys = { pinyin: clean.join(''), initials: clean.map((s) => s[0]).join('') };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(name, keys);
  return keys;
}

export type SearchKind = 'id' | 'name' | 'pinyin';

/** What a search box text most likely is: an id number (prefix), a Chinese name, or pinyin. */
export function classifySearch(q: string): SearchKind {
  if (/^\d{4,17}[\dXx]?$/.test(q)) return 'id';
  if (/^[a-zA-Z]+$/.test(q)) return 'pinyin';
  return 'name';
}
