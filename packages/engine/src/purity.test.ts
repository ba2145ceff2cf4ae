import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The engine stays pure: no I/O, database, HTTP or clock. This test reads its own sources, and
// those of the demo generator (packages/demo), which left the engine and keeps its rules.
const FORBIDDEN = [
  /from ['"]node:/,
  /from ['"](fs|path|os|child_process|http|https|net)['"]/,
  /from ['"](kysely|fastify|better-sqlite3|pg)['"]/,
  /\bDate\.now\(\)/,
  /new Date\(\)/,
  /Math\.random\(/,
  /process\.env/,
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('engine purity', () => {
  it('imports no I/O and reads no clock or randomness', () => {
    const offenders = [import.meta.dirname, join(import.meta.dirname, '../../demo/src')]
      .flatMap(sources)
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return FORBIDDEN.filter((re) => re.test(text)).map((re) => `${file}: ${re}`);
      });
    expect(offenders).toEqual([]);
  });
});
