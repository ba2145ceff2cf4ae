/**
 * What every browser test shares: a temporary SQLite registry with the sample snapshot and the
 * test's accounts, the real server listening on a free port and serving the built web app
 * (built once for all files by global-setup.ts), and headless Chromium from Debian with a page,
 * plus the small steps every test takes (log in, log out, a screenshot, a button by its name).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildApp,
  createServices,
  openDatabase,
  openSource,
  systemScope,
  type Database,
  type Services,
} from '@tingjian/server';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(WEB, '../..');
export const DIST = join(WEB, 'dist');
export const SAMPLES = join(ROOT, 'test/fixtures/samples');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = process.env.TINGJIAN_CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'e2e-password-1';

export interface TestUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: 'district' | 'street' | 'committee' | 'adviser';
  readonly orgCode: string;
}

export interface HarnessOptions {
  /** Names the temporary folder. */
  readonly name: string;
  readonly users: readonly TestUser[];
  /** After the sample is imported and the accounts exist, before the server starts (e.g. read the expected figures). */
  readonly prepare?: (services: Services) => Promise<void>;
  /** Pins the server's "today" (the sample's findings are those of one date). */
  readonly today?: string;
  readonly viewport?: { width: number; height: number };
}

export interface Harness {
  readonly dir: string;
  readonly database: Database;
  readonly services: Services;
  readonly base: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Script errors the page raised (a test at the end expects none). */
  readonly pageErrors: string[];
  /** A button by its accessible name; Ant Design puts a space between two CJK characters. */
  button(name: string, within?: Page | Locator): Locator;
  shot(name: string): Promise<void>;
  login(username: string): Promise<void>;
  logout(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set TINGJIAN_CHROMIUM)`);
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error(`${DIST} has no build (global-setup.ts builds it; TINGJIAN_E2E_SKIP_BUILD=1 reuses the last one)`);
  mkdirSync(ARTIFACTS, { recursive: true });

  const dir = mkdtempSync(join(tmpdir(), `tingjian-e2e-${options.name}-`));
  const database = await openDatabase({ sqlitePath: join(dir, 'e2e.db') });
  const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
  await services.imports.importSnapshot(systemScope(), await openSource(join(SAMPLES, 'changning-small')));
  for (const user of options.users) await services.auth.createUser(systemScope(), { ...user, password: PASSWORD });
  await options.prepare?.(services);

  const today = options.today;
  const app = await buildApp({ services: today ? { ...services, today: () => today } : services, webDist: DIST });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: options.viewport ?? { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Generous: CI shares two cores with the server, the build and the browser.
  page.setDefaultTimeout(45_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  const button = (name: string, within: Page | Locator = page) =>
    within.getByRole('button', { name: new RegExp([...name].join('\\s*')) });
  return {
    dir,
    database,
    services,
    base,
    context,
    page,
    pageErrors,
    button,
    async shot(name) {
      // Let charts finish their entry animation.
      await page.waitForTimeout(900);
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    },
    async login(username) {
      await page.goto(`${base}/login`);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(PASSWORD);
      await button('登录').click();
      await page.getByTestId('header-user').waitFor();
    },
    async logout() {
      await button('退出登录').click();
      await page.waitForURL(/\/login$/);
    },
    async close() {
      await context.close().catch(() => undefined);
      await app.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
