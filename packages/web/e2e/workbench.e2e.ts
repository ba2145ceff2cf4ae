/**
 * The web app in a real browser against the real server: a temporary SQLite registry with the
 * sample snapshot, the built app served by Fastify, headless Chromium from Debian (no browser
 * download). Screenshots go to test-artifacts/ at 1366×768 (and one pair at 1920×1080).
 *
 *   npx vitest run --config packages/web/vitest.e2e.config.ts
 *
 * Builds packages/web first unless TINGJIAN_E2E_SKIP_BUILD=1; TINGJIAN_CHROMIUM overrides the
 * browser path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nameSearchKeys } from '@tingjian/engine';
import ExcelJS from 'exceljs';
import type { Services } from '@tingjian/server';
import { PASSWORD, SAMPLES, startHarness, type Harness } from './harness.ts';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const STREET = { username: 'huayang.e2e', displayName: '华阳路测试员', role: 'street' as const, orgCode: '310105001' };
const DISTRICT = {
  username: 'changning.e2e',
  displayName: '长宁区测试管理员',
  role: 'district' as const,
  orgCode: '310105',
};
/** A resident of 江苏路街道 (310105002), outside 华阳路街道. */
const OTHER_STREET = { idNumber: '310105196003177547', name: '武兰', householdId: 'H0000004' };

let h: Harness;
let page: Page;
let base: string;
let services: Services;
let pageErrors: string[];
let target: { idNumber: string; ref: string; name: string; householdId: string; initials: string };

/** Ant Design spaces two-character Chinese button labels (登 录): match with or without. */
const button = (name: string, within?: Page | Locator) => h.button(name, within);
const shot = (name: string) => h.shot(name);
const login = (username: string) => h.login(username);
const logout = () => h.logout();

/** Types into the resident search box and waits for the list request it triggers. */
async function search(text: string) {
  const box = page.getByTestId('resident-search');
  await box.fill('');
  const response = page.waitForResponse(
    (r) => r.url().includes('/api/residents?') && new URL(r.url()).searchParams.get('q') === text,
  );
  await box.fill(text);
  await response;
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
}

async function uploadSampleWorkbook() {
  await page.goto(`${base}/imports`);
  await page.locator('input[type=file]').setInputFiles(join(SAMPLES, 'changning-small.xlsx'));
  await page.getByTestId('import-result').waitFor({ timeout: 120_000 });
}

describe('web workbench', () => {
  beforeAll(async () => {
    h = await startHarness({
      name: 'workbench',
      users: [STREET, DISTRICT],
      prepare: async (s) => {
        services = s;
        // A resident of 华阳路街道 with relatives and a household of several, whose pinyin initials
        // find few enough people to be on the first page.
        const scope = { username: STREET.username, role: 'street' as const, orgCode: STREET.orgCode };
        const { items } = await services.registry.list(scope, { limit: 200, offset: 0, asOf: services.today() });
        for (const r of items) {
          const initials = nameSearchKeys(r.name).initials;
          if (initials.length < 2) continue;
          const view = await services.registry.resident360(scope, r.ref);
          if (view.relations.length < 2 || view.members.length < 2) continue;
          const hits = await services.registry.list(scope, {
            q: initials,
            limit: 20,
            offset: 0,
            asOf: services.today(),
          });
          if (!hits.hasMore) {
            target = {
              idNumber: view.person.id_number,
              ref: r.ref,
              name: r.name,
              householdId: r.householdId,
              initials,
            };
            break;
          }
        }
        expect(target, 'a resident to search for').toBeDefined();
      },
    });
    ({ page, base, services, pageErrors } = h);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('sends a visitor to the login page and shows a wrong password as the server says', async () => {
    await page.goto(`${base}/residents`);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('用户名').fill(STREET.username);
    await page.getByLabel('密码').fill('not-the-password');
    await button('登录').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码不正确');
    await shot('01-login-error');
  });

  it('signs the street worker in and shows name, role and area on the workbench', async () => {
    await page.getByLabel('密码').fill(PASSWORD);
    await button('登录').click();
    // The page the visitor asked for before signing in.
    await page.waitForURL(/\/residents$/);
    await page.getByRole('menuitem', { name: /工作台/ }).click();
    await page.getByTestId('stat-residents').waitFor();
    const header = await page.getByTestId('header-user').textContent();
    expect(header).toContain(STREET.displayName);
    expect(header).toContain('街镇工作人员');
    expect(header).toContain('上海市 / 长宁区 / 华阳路街道');
    expect(await page.locator('h1').textContent()).toContain('华阳路街道');
    await page.getByTestId('chart-children').waitFor();
    await page.getByTestId('chart-pyramid').waitFor();
    await page.getByTestId('home-leads').waitFor();
    // No user administration for a street worker.
    expect(await page.getByRole('menuitem', { name: /用户与角色/ }).count()).toBe(0);
    await shot('02-home-street-1366');
  });

  it('narrows the workbench to a committee chosen in the area tree', async () => {
    const name = services.org.childrenOf(STREET.orgCode)[1]!.name;
    await page.locator('.tj-area-tree .ant-tree-title', { hasText: name }).click();
    await expect.poll(() => page.getByTestId('current-org').textContent()).toBe(name);
    await expect.poll(() => page.locator('h1').textContent()).toContain(name);
    await shot('03-home-committee-1366');
    // Keyboard: filter the tree, Tab into it, arrows move, Enter chooses a committee.
    const next = services.org.childrenOf(STREET.orgCode)[2]!.name;
    await page.getByLabel('筛选街镇、居委会').fill(next);
    for (let i = 0; i < 5 && !(await page.evaluate(() => !!document.activeElement?.closest('.tj-area-tree'))); i++)
      await page.keyboard.press('Tab');
    const active = page.locator('.tj-area-tree .ant-tree-treenode-active');
    for (let i = 0; i < 5 && ((await active.count()) === 0 || (await active.textContent())?.trim() !== next); i++)
      await page.keyboard.press('ArrowDown');
    await shot('03b-area-tree-keyboard-1366');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('current-org').textContent()).toBe(next);
    await page.getByLabel('筛选街镇、居委会').fill('');
    await button('回到本辖区').click();
    await expect.poll(() => page.getByTestId('current-org').textContent()).toBe('华阳路街道');
  });

  it('finds a resident of the street by pinyin initials and opens the 360 view', async () => {
    await page.getByRole('menuitem', { name: /居民/ }).click();
    await page.getByTestId('residents-table').waitFor();
    await search(target.initials);
    const row = page.locator('.ant-table-row', { hasText: target.householdId }).filter({ hasText: target.name });
    await row.first().waitFor();
    // Lists show masked numbers only, and link by ref: no full id number in the page at all.
    const listText = await page.getByTestId('residents-table').textContent();
    expect(listText).not.toContain(target.idNumber);
    expect(listText).toContain(`${target.idNumber.slice(0, 6)}********`);
    expect(await page.content()).not.toMatch(/(?<![\d.])\d{17}[\dXx](?!\d)/);
    expect(await row.first().getByRole('link', { name: target.name }).getAttribute('href')).toBe(
      `/residents/${target.ref}`,
    );
    await shot('04-residents-search-1366');

    // The export takes the same filters and downloads a workbook.
    const [xlsx, exportRequest] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForRequest((r) => r.url().includes('/api/residents/export.xlsx')),
      button('导出 Excel').click(),
    ]);
    expect(new URL(exportRequest.url()).searchParams.get('q')).toBe(target.initials);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(
      readFileSync((await xlsx.path())!)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    // Keyboard: the name is a link in the tab order; Enter opens the 360 view.
    await page.getByTestId('resident-search').focus();
    let focusedName = '';
    for (let i = 0; i < 25 && focusedName !== target.name; i++) {
      await page.keyboard.press('Tab');
      focusedName = await page.evaluate(() =>
        document.activeElement?.tagName === 'A' ? (document.activeElement.textContent ?? '') : '',
      );
    }
    expect(focusedName, 'Tab reaches the resident link').toBe(target.name);
    await shot('04b-residents-keyboard-focus-1366');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/residents/${target.ref}`);
    await page.goBack();
    await page.getByTestId('residents-table').waitFor();
    expect(await page.getByTestId('resident-search').inputValue(), 'Back keeps the search').toBe(target.initials);
    await row.first().click();
    await page.waitForURL((url) => url.pathname === `/residents/${target.ref}`);
    // The 360 view shows the person's own id number in full (an audited read); the address has the ref only.
    await expect.poll(() => page.getByTestId('full-id-number').textContent()).toBe(target.idNumber);
    expect(page.url()).not.toContain(target.idNumber);
    expect(await page.getByTestId('resident-name').textContent()).toContain(target.name);
    await page.getByText('家庭成员').first().waitFor();
    await page.getByText('变更记录').first().waitFor();
    await shot('05-resident-360-1366');
    // The content scrolls inside the shell: scroll it to see the relations and the history.
    await page.getByTestId('relation-graph').scrollIntoViewIfNeeded();
    await page.getByTestId('relations-table').waitFor();
    await shot('05b-resident-360-relations-1366');
    await page.locator('#tj-main').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shot('05c-resident-360-bottom-1366');
    await page.locator('#tj-main').evaluate((el) => el.scrollTo(0, 0));
  });

  it('opens the household page from the 360 view', async () => {
    await page.getByTestId('household-link').click();
    await page.waitForURL(new RegExp(`/households/${target.householdId}$`));
    await page.getByTestId('household-members').getByText(target.name).first().waitFor();
    await shot('06-household-1366');
  });

  it('keeps a resident of another street out of reach, by search and by URL', async () => {
    await page.goto(`${base}/residents`);
    await page.getByTestId('residents-table').waitFor();
    for (const q of [OTHER_STREET.name, nameSearchKeys(OTHER_STREET.name).initials, OTHER_STREET.idNumber]) {
      await search(q);
      expect(await page.getByTestId('residents-table').textContent(), `search ${q}`).not.toContain(
        OTHER_STREET.householdId,
      );
    }
    await page.goto(`${base}/residents/${OTHER_STREET.idNumber}`);
    await page.getByText('在您的辖区内找不到该居民').waitFor();
    expect(await page.content()).not.toContain(OTHER_STREET.idNumber.slice(6, 14));
    await shot('07-resident-other-street-1366');
    await page.goto(`${base}/households/${OTHER_STREET.householdId}`);
    await page.getByText('在您的辖区内找不到该家庭').waitFor();
  });

  it('rejects the rows of other streets when the street worker imports the whole district', async () => {
    await uploadSampleWorkbook();
    const title = await page.getByTestId('report-title').textContent();
    const rejected = Number(/（(\d+) 行）/.exec(title ?? '')?.[1]);
    expect(rejected).toBeGreaterThan(11);
    await page.getByTestId('report-table').getByText('不在您的辖区内').first().waitFor();
    await logout();
  });

  it('shows the district admin the 11 rejected rows of the sample workbook, downloadable as CSV', async () => {
    await login(DISTRICT.username);
    expect(await page.getByRole('menuitem', { name: /用户与角色/ }).count()).toBe(1);
    await uploadSampleWorkbook();
    await expect.poll(() => page.getByTestId('report-title').textContent()).toBe('拒收报告（11 行）');
    const report = page.getByTestId('report-table');
    await report.locator('.ant-table-row', { hasText: 'residents.csv' }).filter({ hasText: '1044' }).first().waitFor();
    await report.locator('.ant-table-row', { hasText: 'enrollments.csv' }).filter({ hasText: '281' }).first().waitFor();
    // The counts table: every table of the format was read.
    const counts = await page.getByTestId('import-counts').textContent();
    for (const table of ['households', 'residents', 'relations', 'enrollments', 'identity_tags'])
      expect(counts).toContain(table);
    await shot('08-import-report-1366');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download').click()]);
    expect(download.suggestedFilename()).toMatch(/-rejected-run\d+\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('file,line,column,reason');
    expect(csv).toMatch(/residents\.csv,1044,/);

    // The template: a workbook of the format's sheets, with the Chinese 说明 first.
    const [template] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
    expect(template.suggestedFilename()).toBe('听见导入模板.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await template.path())!);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      '说明',
      'households',
      'residents',
      'relations',
      'enrollments',
      'identity_tags',
    ]);
  });

  it("lets the district admin list accounts and shows the server's message for a taken username", async () => {
    await page.getByRole('menuitem', { name: /用户与角色/ }).click();
    await page.getByText(STREET.username).waitFor();
    await button('新建账号').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill(STREET.username);
    await dialog.getByLabel('姓名').fill('重复');
    await dialog.getByLabel('初始密码').fill(PASSWORD);
    await dialog.getByLabel('角色').click();
    await page.locator('.ant-select-item-option', { hasText: '街镇工作人员' }).click();
    await dialog.getByLabel('所属单位').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '华阳路街道' }).first().click();
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await dialog.getByText(`用户名 ${STREET.username} 已存在`).waitFor();
    await shot('09-users-error-1366');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
  });

  it('switches to English and stays readable at 1920×1080', async () => {
    await page
      .getByRole('radio', { name: 'EN' })
      .check({ force: true })
      .catch(async () => {
        await page.getByText('EN', { exact: true }).click();
      });
    await page.getByRole('menuitem', { name: /Workbench/ }).click();
    await page.getByTestId('stat-residents').waitFor();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot('10-home-district-en-1920');
    await page.goto(`${base}/residents/${OTHER_STREET.idNumber}`);
    await expect.poll(() => page.getByTestId('full-id-number').textContent()).toBe(OTHER_STREET.idNumber);
    await shot('11-resident-360-en-1920');
    await page.getByText('中文', { exact: true }).click();
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
