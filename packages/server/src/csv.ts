/** One CSV line per RFC 4180: quote fields holding a comma, quote or line break. */
export function csvLine(fields: ReadonlyArray<string | number | null | undefined>): string {
  return fields
    .map((f) => {
      const v = f === null || f === undefined ? '' : String(f);
      return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(',');
}
