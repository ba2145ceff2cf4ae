/**
 * Search keys for Chinese names: full pinyin without tones or spaces ("zhangwei") and initials
 * ("zw"), so that workers find 张伟 by typing either. pinyin-pro gives the readings; the surname
 * is read in its surname mode (单 shan, 曾 zeng, 解 xie, 区 ou), compound surnames as one unit.
 *
 * pinyin-pro costs about 12 µs per whole name; an import of a million residents cannot spend 12 s
 * on it. So we ask it once per distinct character (and per distinct surname) and keep the answers:
 * a name then costs a few map look-ups. Given names are read character by character, which is
 * what pinyin-pro does for them too, since names are not dictionary phrases.
 */
import { pinyin } from 'pinyin-pro';

export interface NameKeys {
  readonly pinyin: string;
  readonly initials: string;
}

const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '令狐',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '万俟',
  '闻人',
  '澹台',
  '公冶',
  '宗政',
  '濮阳',
  '淳于',
  '单于',
  '太叔',
  '申屠',
  '钟离',
  '赫连',
  '呼延',
  '百里',
  '东郭',
  '拓跋',
  '完颜',
  '司空',
  '第五',
]);

const surnameCache = new Map<string, string[]>();
const charCache = new Map<string, string>();

function clean(syllable: string): string {
  return syllable.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function surnameSyllables(surname: string): string[] {
  let s = surnameCache.get(surname);
  if (!s) {
    s = pinyin(surname, { toneType: 'none', type: 'array', surname: 'head', v: true })
      .map(clean)
      .filter((x) => x.length > 0);
    surnameCache.set(surname, s);
  }
  return s;
}

function charSyllable(ch: string): string {
  let s = charCache.get(ch);
  if (s === undefined) {
    s = /[\u3400-\u9fff\uf900-\ufaff]/.test(ch) ? clean(pinyin(ch, { toneType: 'none', v: true })) : clean(ch);
    charCache.set(ch, s);
  }
  return s;
}

/**
 * Whole names too: a million residents carry far fewer distinct names, and a look-up costs a
 * tenth of splitting a name into characters. Emptied when full, so memory stays bounded.
 */
const nameCache = new Map<string, NameKeys>();
const NAME_CACHE_LIMIT = 200_000;

export function nameSearchKeys(name: string): NameKeys {
  let keys = nameCache.get(name);
  if (!keys) {
    keys = readName(name);
    if (nameCache.size >= NAME_CACHE_LIMIT) nameCache.clear();
    nameCache.set(name, keys);
  }
  return keys;
}

function readName(name: string): NameKeys {
  const chars = [...name.trim()];
  if (chars.length === 0) return { pinyin: '', initials: '' };
  const surnameLength = chars.length > 2 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
  const syllables = [...surnameSyllables(chars.slice(0, surnameLength).join(''))];
  for (const ch of chars.slice(surnameLength)) {
    const s = charSyllable(ch);
    if (s) syllables.push(s);
  }
  return { pinyin: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
}

export type SearchKind = 'id' | 'name' | 'pinyin';

/** What a search box text most likely is: an id number (prefix), a Chinese name, or pinyin. */
export function classifySearch(q: string): SearchKind {
  if (/^\d{4,17}[\dXx]?$/.test(q)) return 'id';
  if (/^[a-zA-Z]+$/.test(q)) return 'pinyin';
  return 'name';
}
