/**
 * Child process: the workbench in Debian's Chromium against the server on a million-resident
 * database. Home page first load (cold: dashboard figures not yet cached; warm) and the resident
 * list's page changes, each timed from the action to the rendered result. The dashboard figures
 * are computed first, as the server does in the background after start-up; that time is reported.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildApp, createServices, openDatabase, systemScope } from '@tingjian/server';
import { median } from './lib.ts';

const [dbPath] = process.argv.slice(2) as [string];
const database = await openDatabase({ sqlitePath: dbPath });
const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
const password = 'bench-password-1';
if (
  !(await database.db
    .selectFrom('app_user')
    .select('username')
    .where('username', '=', 'bench.district')
    .executeTakeFirst())
) {
  await services.auth.createUser(systemScope(), {
    username: 'bench.district',
    displayName: '基准测试',
    password,
    role: 'district',
    orgCode: '310105',
  });
}
// As `npm start` does: the dashboard figures are computed in the background after start-up.
const warmStarted = performance.now();
await services.stats.overview(systemScope('310105'), undefined, services.today());
const figuresMs = performance.now() - warmStarted;
const app = await buildApp({ services });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tj-bench-chrome-')), {
  executablePath: process.env.TINGJIAN_CHROMIUM ?? '/usr/bin/chromium',
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
  viewport: { width: 1366, height: 768 },
  locale: 'zh-CN',
});
const login = await context.request.post(`${base}/api/session`, { data: { username: 'bench.district', password } });
if (!login.ok()) throw new Error(`login failed: ${login.status()}`);

const homeLoads: number[] = [];
for (let i = 0; i < 4; i++) {
  const page = await context.newPage();
  const t = performance.now();
  await page.goto(`${base}/`);
  await page.getByTestId('stat-residents').waitFor();
  await page.locator('[data-testid="home-page"] canvas').first().waitFor();
  homeLoads.push(performance.now() - t);
  await page.close();
}

const page = await context.newPage();
await page.goto(`${base}/residents`);
await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
const pageChanges: number[] = [];
// Plain text, not a function: the TypeScript loader would add helpers the page does not have.
const TIME_NEXT_PAGE = `new Promise((resolve) => {
  const firstRow = () => document.querySelector('.ant-table-tbody tr.ant-table-row')?.textContent;
  const before = firstRow();
  let start = 0;
  const observer = new MutationObserver(() => {
    if (firstRow() !== before) { observer.disconnect(); resolve(performance.now() - start); }
  });
  observer.observe(document.querySelector('.ant-table-wrapper'), { subtree: true, childList: true, characterData: true });
  start = performance.now();
  (document.querySelector('li.ant-pagination-next button') ?? document.querySelector('li.ant-pagination-next')).dispatchEvent(new MouseEvent('click', { bubbles: true }));
})`;
const apiTimes: number[] = [];
page.on('requestfinished', (req) => {
  if (req.url().includes('/api/residents?')) {
    const t = req.timing();
    apiTimes.push(t.responseEnd - t.requestStart);
  }
});
for (let i = 0; i < 12; i++) {
  // Timed inside the page: from the click on 下一页 to the table showing the new rows.
  pageChanges.push(await page.evaluate<number>(TIME_NEXT_PAGE));
  await page.waitForTimeout(50);
}
await context.close();
await app.close();
await database.close();
console.log(
  JSON.stringify({
    figuresMs,
    homeCold: homeLoads[0],
    homeWarm: median(homeLoads.slice(1)),
    pageChange: median(pageChanges),
    pageChangeMax: Math.max(...pageChanges),
    listApi: median(apiTimes),
  }),
);
