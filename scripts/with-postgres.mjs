#!/usr/bin/env node
// Runs a command with a throwaway PostgreSQL server on loopback (Debian's postgresql package):
// initdb into a temp dir as the postgres user, start on a free port, export
// TINGJIAN_TEST_PG_URL, run the command, stop and delete the server. Tests use it to run the
// storage and import suites against PostgreSQL as well as SQLite.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: with-postgres.mjs COMMAND [ARGS...]');
  process.exit(2);
}

function findBin(name) {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort().reverse()) {
      const p = join(root, v, 'bin', name);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function run(command, commandArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', env, shell: false });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const env = { ...process.env };
let stop = () => {};
if (!env.TINGJIAN_TEST_PG_URL && env.TINGJIAN_TEST_PG !== 'skip') {
  const initdb = findBin('initdb');
  const pgCtl = findBin('pg_ctl');
  if (!initdb || !pgCtl) {
    console.error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install them with\n  apt-get update && apt-get install -y postgresql\nor set TINGJIAN_TEST_PG=skip to run the SQLite half only.',
    );
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'tingjian-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the server as the postgres user.
  const asPg = (bin, binArgs) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', bin, ...binArgs], { stdio: 'pipe' })
      : execFileSync(bin, binArgs, { stdio: 'pipe' });
  const port = await freePort();
  asPg(initdb, ['-D', data, '-A', 'trust', '-U', 'tingjian', '-E', 'UTF8', '--locale=C.UTF-8']);
  asPg(pgCtl, [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  env.TINGJIAN_TEST_PG_URL = `postgres://tingjian@127.0.0.1:${port}/postgres`;
  console.error(`PostgreSQL test server on 127.0.0.1:${port}`);
  stop = () => {
    try {
      asPg(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      /* already down */
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});
const code = await run(cmd === 'vitest' ? join('node_modules', '.bin', 'vitest') : cmd, args, env);
stop();
process.exit(code);
