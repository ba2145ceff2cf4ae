#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the repository needs no build step.
// A bulk import keeps about 600 MB live at a million residents; without a heap limit V8 lets the
// process grow past 2 GB before collecting. The command re-runs itself once with a limit.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HEAP = '--max-old-space-size=1024';
if (!process.execArgv.some((a) => a.startsWith('--max-old-space-size')) && !process.env.TINGJIAN_CLI_CHILD) {
  const r = spawnSync(
    process.execPath,
    [HEAP, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...process.env, TINGJIAN_CLI_CHILD: '1' },
    },
  );
  process.exit(r.status ?? (r.signal ? 1 : 0));
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/main.ts');
