/**
 * What the web app takes from the other packages must run in a browser: the engine's browser entry
 * and the server's contract are bundled here with Vite (lib mode, browser resolution, as the web
 * build resolves them) into a temporary folder, and a plugin notes every import of a native
 * module, a server-side package or a Node built-in on the way. The main engine entry is bundled
 * too, to show that the check sees roaring where it is.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type Plugin } from 'vite';

const ROOT = join(import.meta.dirname, '../../..');
const BUILTINS = new Set(builtinModules);
/** Packages that must not reach the browser: native, server-side, or (pinyin-pro) a dictionary of megabytes. */
const SERVER_SIDE = ['roaring', 'pinyin-pro', 'fastify', 'kysely', 'better-sqlite3', 'pg'];

function forbidden(source: string): boolean {
  if (source.startsWith('node:') || BUILTINS.has(source.split('/')[0]!)) return true;
  return SERVER_SIDE.some((p) => source === p || source.startsWith(`${p}/`) || source.startsWith(`@${p}/`));
}

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** Bundles `entry` for the browser; answers what it tried to import that must not be there, and the bundle's own imports. */
async function bundle(entry: string): Promise<{ offenders: string[]; imports: string[]; code: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'tingjian-browser-entry-'));
  folders.push(outDir);
  const offenders: string[] = [];
  const guard: Plugin = {
    name: 'tingjian-browser-guard',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!forbidden(source)) return null;
      offenders.push(`${source} ← ${importer ? relative(ROOT, importer) : '?'}`);
      return { id: source, external: true };
    },
  };
  const result = await build({
    configFile: false,
    root: outDir,
    logLevel: 'silent',
    plugins: [guard],
    build: { outDir, emptyOutDir: true, minify: false, lib: { entry, formats: ['es'], fileName: 'entry' } },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Array<{
    output: Array<{ type: string; fileName: string; imports?: string[] }>;
  }>;
  const chunks = outputs.flatMap((o) => o.output.filter((c) => c.type === 'chunk'));
  // The imports left in the bundle (everything else is inside it), and the bundle as written.
  const imports = chunks.flatMap((c) => c.imports ?? []);
  const code = chunks.map((c) => readFileSync(join(outDir, c.fileName), 'utf8')).join('\n');
  return { offenders, imports, code };
}

describe('what the web app bundles from the other packages', () => {
  it("bundles the engine's browser entry without roaring, pinyin-pro or a Node built-in", async () => {
    const { offenders, imports, code } = await bundle(join(ROOT, 'packages/engine/src/browser.ts'));
    expect(offenders).toEqual([]);
    expect(imports).toEqual([]);
    // It is the real thing: the parser, its messages and the worklist are in the bundle.
    expect(code).toContain('此处缺少 AND 或 OR');
    expect(code).toContain('not_eligible');
  });

  it("bundles the server's contract without Fastify, Kysely, a database driver or a Node built-in", async () => {
    const { offenders, imports, code } = await bundle(join(ROOT, 'packages/server/src/contract.ts'));
    expect(offenders).toEqual([]);
    expect(imports).toEqual([]);
    expect(code).toContain('leadRow');
  });

  it('sees roaring and pinyin-pro in the main engine entry', async () => {
    const { offenders } = await bundle(join(ROOT, 'packages/engine/src/index.ts'));
    expect(offenders.some((o) => o.startsWith('roaring ← packages/engine/src/tags/tag-index.ts'))).toBe(true);
    expect(offenders.some((o) => o.startsWith('pinyin-pro ← packages/engine/src/search-keys.ts'))).toBe(true);
  });

  it('imports the engine only through its browser entry, and the server only as types of its contract', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(join(dir, e.name))
          : /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts')
            ? [join(dir, e.name)]
            : [],
      );
    const wrong: string[] = [];
    for (const file of files(import.meta.dirname)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^(import|export)(\s+type)?\s[^;]*?from\s+'([^']+)'/gms)) {
        const [, , typeOnly, source] = m as unknown as [string, string, string | undefined, string];
        const ok =
          source === '@tingjian/engine/browser' ||
          (source === '@tingjian/server/contract' && typeOnly !== undefined) ||
          !(source.startsWith('@tingjian/') || /(^|\/)(engine|server)\/src\//.test(source));
        if (!ok) wrong.push(`${relative(ROOT, file)}: ${m[0].split('\n')[0]}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
