/**
 * Pure helpers of the local-policy editor: form values ↔ the API's input, the rule's conditions
 * (one plain-Chinese label each), where a server error points (field and character position), the
 * marked text, and the period shown in the list.
 */
import type { LocalPolicyDefinitionView, LocalPolicyInput } from '../../api/policies.ts';

export interface ParameterValueForm {
  from?: string;
  value?: number | null;
  source?: string;
}
export interface ParameterForm {
  name?: string;
  label?: string;
  unit?: string | null;
  values?: ParameterValueForm[];
}
export interface LocalPolicyForm {
  code?: string;
  name?: string;
  source?: string;
  effectiveFrom?: string;
  effectiveTo?: string | null;
  rule?: string;
  /** Each condition's label, keyed by the condition as topConditions cuts it from the rule. */
  labels?: Record<string, string | undefined>;
  amount?: string | null;
  howToApply?: string | null;
  parameters?: ParameterForm[];
}

const blank = (v: string | null | undefined) => (v ?? '').trim();

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
    else if (depth === 0 && text.startsWith(op, i)) {
      parts.push(text.slice(start, i).trim());
      start = i + op.length;
      i++;
    }
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
      if (depth === 0) {
        whole = false;
        break;
      }
    }
    if (!whole) break;
    t = t.slice(1, -1).trim();
  }
  return t;
}

/**
 * The conditions of a rule as the server words them: the parts of its top-level `&&`, a part in
 * brackets that is itself an `&&` split again (the server reads `a && (b && c)` as three), each
 * without its enclosing brackets. The server matches a label to its condition by the rule's
 * meaning, so spacing does not matter. Empty parts (a rule being typed) are left out.
 */
export function topConditions(rule: string): string[] {
  const out: string[] = [];
  const visit = (text: string) => {
    const parts = splitTop(text, '&&');
    if (parts.length === 1) {
      const t = unwrap(parts[0]!);
      if (t !== parts[0] && splitTop(t, '&&').length > 1) visit(t);
      else if (t) out.push(t);
      return;
    }
    for (const p of parts) visit(p);
  };
  visit(unwrap(rule));
  return out;
}

/** The form as the API takes it: trimmed texts, empty optionals as null, rule and amount trimmed (positions count in the text sent). */
export function toInput(f: LocalPolicyForm): LocalPolicyInput {
  const rule = blank(f.rule);
  // Labels of the rule's conditions as they are now (an edited rule leaves its old conditions' labels behind).
  const labels = Object.fromEntries(
    topConditions(rule).flatMap((c) => {
      const label = blank(f.labels?.[c]);
      return label ? [[c, label]] : [];
    }),
  );
  return {
    code: blank(f.code).toUpperCase(),
    name: blank(f.name),
    source: blank(f.source),
    effectiveFrom: blank(f.effectiveFrom),
    effectiveTo: blank(f.effectiveTo) || null,
    rule,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    amount: blank(f.amount) || null,
    howToApply: blank(f.howToApply) || null,
    parameters: (f.parameters ?? []).map((p) => ({
      name: blank(p.name).toUpperCase(),
      label: blank(p.label),
      unit: blank(p.unit) || null,
      values: (p.values ?? []).map((v) => ({
        from: blank(v.from),
        value: Number(v.value ?? NaN),
        source: blank(v.source),
      })),
    })),
  };
}

/** A stored definition as form values (for editing a draft or starting a new version). */
export function toForm(
  d: Omit<LocalPolicyDefinitionView, 'labels'> & { labels?: LocalPolicyDefinitionView['labels'] },
): LocalPolicyForm {
  return {
    code: d.code,
    name: d.name,
    source: d.source,
    effectiveFrom: d.effectiveFrom,
    effectiveTo: d.effectiveTo,
    rule: d.rule,
    labels: { ...d.labels },
    amount: d.amount,
    howToApply: d.howToApply,
    parameters: d.parameters.map((p) => ({
      name: p.name,
      label: p.label,
      unit: p.unit,
      values: p.values.map((v) => ({ ...v })),
    })),
  };
}

/** Where a rule error points: `details` of TJ_RULE_INVALID (field and 1-based position), or null. */
export function errorPlace(details: unknown): { field: string; position: number | null } | null {
  if (!details || typeof details !== 'object') return null;
  const d = details as { field?: unknown; position?: unknown };
  if (typeof d.field !== 'string') return null;
  return { field: d.field, position: typeof d.position === 'number' && d.position >= 1 ? d.position : null };
}

/** The text split around a 1-based position: the character there marked (a marker past the end when the text ended). */
export function markAt(
  text: string,
  position: number,
): { before: string; marked: string; after: string; atEnd: boolean } {
  const i = Math.max(0, position - 1);
  if (i >= text.length) return { before: text, marked: '', after: '', atEnd: true };
  // Mark the word that starts there (an unknown name), else the one character.
  const m = /^[\p{L}\p{N}_.]+/u.exec(text.slice(i));
  const len = m ? m[0].length : 1;
  return { before: text.slice(0, i), marked: text.slice(i, i + len), after: text.slice(i + len), atEnd: false };
}

/** "2025-01-01 起" or "2025-01-01 至 2026-12-31", through the page's translator. */
export function periodOf(
  from: string,
  to: string | null,
  t: (key: 'effectiveOpen' | 'effectiveRange', p: { from: string; to?: string }) => string,
): string {
  return to ? t('effectiveRange', { from, to }) : t('effectiveOpen', { from });
}
