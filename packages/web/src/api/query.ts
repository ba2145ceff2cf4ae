/** Query strings for GET requests: empty values are left out, so the server applies its defaults. */

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Readonly<Record<string, QueryValue>>;

/** `{ q: '张', org: undefined, limit: 20 }` → `?q=%E5%BC%A0&limit=20`; `''` when nothing is set. */
export function buildQuery(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value.trim() : String(value);
    if (text === '') continue;
    search.append(key, text);
  }
  const s = search.toString();
  return s === '' ? '' : `?${s}`;
}
