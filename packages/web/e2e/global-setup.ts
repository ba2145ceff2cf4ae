/**
 * Builds the web app once before the browser tests (a production build: Vitest's NODE_ENV=test
 * would give development builds of React and Ant Design). TINGJIAN_E2E_SKIP_BUILD=1 reuses the
 * last build.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WEB } from './harness.ts';

export default function setup(): void {
  if (process.env.TINGJIAN_E2E_SKIP_BUILD === '1') return;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: WEB,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
