/**
 * Reasons in plain words. The server words the common conditions itself (PLAIN in
 * policies.service.ts) and sends the rest in the rule language, which a resident cannot read
 * ("age >= 60 || age < TEKUN_MINOR_AGE || disability_grade != null"). This turns the remaining
 * forms of the reference pack into words: alternatives joined by "or", eligible()/holds() chains as
 * one list of programmes, value lists, ages and the income comparisons. What it does not know it
 * leaves as sent, rather than guess.
 */
import type { Entry, Lang } from '../../app/i18n.ts';
import { benefitName, valueName } from '../../app/terms.ts';
import { factLabel } from '../leads/trace.ts';

/** Rule text is ASCII outside its quoted strings; the server's own wording is Chinese. */
export function isRuleText(text: string): boolean {
  const bare = text.replace(/"[^"]*"/g, '""');
  return /^[\x20-\x7E]+$/.test(bare) && /[a-z_]/.test(bare);
}

/** Splits at the top level (outside brackets and quotes) on an operator: `a || (b || c)` → [a, (b || c)]. */
export function splitTop(text: string, op: '||' | '&&'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    if (quoted) continue;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && text.startsWith(op, i)) { parts.push(text.slice(start, i).trim()); start = i + op.length; i++; }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** `(a || b)` → `a || b` when the brackets enclose the whole text. */
function unwrap(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')')) {
    let depth = 0;
    let whole = true;
    for (let i = 0; i < t.length - 1; i++) {
      if (t[i] === '(') depth++;
      else if (t[i] === ')') depth--;
      if (depth === 0) { whole = false; break; }
    }
    if (!whole) break;
    t = t.slice(1, -1).trim();
  }
  return t;
}

const e = (zh: string, en: string): Entry => ({ zh, en });

const FORMS: ReadonlyArray<[RegExp, (m: RegExpExecArray, lang: Lang) => Entry]> = [
  [/^age >= (\d+)$/, (m) => e(`年满${m[1]}岁`, `aged ${m[1]} or over`)],
  [/^age < (\d+)$/, (m) => e(`未满${m[1]}岁`, `under ${m[1]}`)],
  [/^age < TEKUN_MINOR_AGE$/, () => e('未成年', 'a minor')],
  [/^disability_grade != null$/, () => e('持有残疾人证', 'holds a disability certificate')],
  [/^gender == "男" \? age < (\d+) : age < (\d+)$/, (m) => e(`未到退休年龄（男性未满${m[1]}岁，女性未满${m[2]}岁）`, `below retirement age (men under ${m[1]}, women under ${m[2]})`)],
  [/^(?:LIBAO <= household\.pc_income|household\.pc_income >= LIBAO)$/, () => e('家庭人均月收入不低于低保标准', 'household income per person at least the minimum living standard')],
  [/^household\.pc_income < (\d+) \* LIBAO$/, (m) => e(`家庭人均月收入低于低保标准的${m[1]}倍`, `household income per person below ${m[1]} times the minimum living standard`)],
  [/^12 \* household\.pc_income < CITY_AVG_INCOME$/, () => e('家庭人均年收入低于上年度本市居民人均可支配收入', 'household income per person below the city\'s average disposable income')],
  [/^\(12 \* household\.income - household\.medical\) \/ \(12 \* household\.size\) < LIBAO$/, () => e('扣除自付医疗费后，家庭人均月收入低于低保标准', 'after medical costs, household income per person below the minimum living standard')],
  [/^household\.medical >= ([\d.]+) \* 12 \* household\.income$/, (m) => e(`近12个月自付医疗费达到家庭年收入的${Math.round(Number(m[1]) * 100)}%`, `medical costs of the last 12 months at least ${Math.round(Number(m[1]) * 100)}% of the household's yearly income`)],
];

const CALL = /^(eligible|holds)\("([A-Z][A-Z0-9_]*)"\)$/;
const IN_LIST = /^([a-z_.]+) in \[(.*)\]$/;

function one(text: string, lang: Lang): string | null {
  const t = unwrap(text);
  for (const [re, words] of FORMS) {
    const m = re.exec(t);
    if (m) return words(m, lang)[lang];
  }
  const list = IN_LIST.exec(t);
  if (list) {
    const values = [...list[2]!.matchAll(/"([^"]*)"/g)].map((v) => valueName(v[1]!, lang));
    if (values.length === 0) return null;
    return lang === 'zh' ? `${factLabel(list[1]!, lang)}为${values.join('、')}之一` : `${factLabel(list[1]!, lang)} is one of: ${values.join(', ')}`;
  }
  return null;
}

export function plainReason(text: string, lang: Lang): string {
  if (!isRuleText(text)) return text;
  const parts = splitTop(unwrap(text), '||');
  // A chain of eligible("X") || holds("X") …: one list of the programmes, each named once.
  const calls = parts.map((p) => CALL.exec(unwrap(p)));
  if (calls.every((c) => c !== null)) {
    const names = [...new Set(calls.map((c) => c![2]!))].map((code) => benefitName(code, lang));
    return lang === 'zh' ? `已享受或符合以下任一救助：${names.join('、')}` : `receiving or eligible for any of: ${names.join(', ')}`;
  }
  const words = parts.map((p) => one(p, lang));
  if (words.some((w) => w === null)) return text;
  return words.join(lang === 'zh' ? '，或' : ', or ');
}
