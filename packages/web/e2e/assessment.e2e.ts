/**
 * The needs assessment (需求评估) in a real browser against the real server: the area's figures on
 * a chosen date, the contribution chart, the heat table, the band drill-down, the comparison of
 * two dates, and a household's assessment card with recording. Temporary SQLite with the sample
 * snapshot; headless Chromium from Debian. Screenshots go to test-artifacts/.
 *
 *   npx vitest run --config packages/web/vitest.e2e.config.ts e2e/assessment.e2e.ts
 *
 * The sample's reference figures are those of 2026-11-28 (district 长宁区: n = 441, q = 54,
 * H ≈ 0.1224, M0 ≈ 0.0503). The server's "today" is left alone: the page is driven to that date
 * through its date picker (按日期评估), as a worker would, and the household opened from the
 * drill-down carries the same date.
 */
import type { Services } from '@tingjian/server';
import { startHarness, type Harness } from './harness.ts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AS_OF = '2026-11-28';
const COMPARE = '2025-11-28';
const DISTRICT = {
  username: 'changning.assess',
  displayName: '长宁区评估管理员',
  role: 'district' as const,
  orgCode: '310105',
};
const STREET = {
  username: 'huayang.assess',
  displayName: '华阳路评估员',
  role: 'street' as const,
  orgCode: '310105001',
};

let h: Harness;
let page: Page;
let base: string;
let services: Services;
let pageErrors: string[];
/** What the page must show, from the service itself. */
let expected: {
  poor: number;
  huayangIncomePoor: number;
  compareM0: number;
  street: { n: number; q: number; committees: number };
};

const shot = (name: string) => h.shot(name);
const login = (username: string) => h.login(username);
const logout = () => h.logout();

/** Chooses the option whose whole text is `option` ('困难', not '深度困难') of an Ant Design select. */
async function choose(label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
      hasText: new RegExp(`^${option}$`),
    })
    .first()
    .click();
}

/** Types a date into an Ant Design date picker named `label`. */
async function pickDate(label: string, date: string) {
  const picker = page.getByRole('textbox', { name: label });
  await picker.click();
  await picker.fill(date);
  await picker.press('Enter');
}

const settle = () =>
  page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
const isHouseholds = (url: string) => url.includes('/api/assessment/households?');
const stat = async (key: string) =>
  (await page.getByTestId(`stat-${key}`).locator('.ant-statistic-content').textContent())?.replace(/\s+/g, '') ?? '';

describe('needs assessment', () => {
  beforeAll(async () => {
    h = await startHarness({
      name: 'assessment',
      users: [DISTRICT, STREET],
      prepare: async (s) => {
        services = s;
        const district = { username: DISTRICT.username, role: DISTRICT.role, orgCode: DISTRICT.orgCode };
        const area = await services.assessment.areas(district, undefined, AS_OF);
        // The sample's reference figures (the brief's numbers), so a drift in the data shows here first.
        expect([area.unit.n, area.unit.q]).toEqual([441, 54]);
        expect(area.unit.H).toBeCloseTo(0.1224, 4);
        expect(area.unit.M0).toBeCloseTo(0.0503, 4);
        const poor = await services.assessment.households(district, { band: 'poor', limit: 1, offset: 0 }, AS_OF);
        const huayangIncome = await services.assessment.households(
          district,
          { org: STREET.orgCode, band: 'poor', indicator: 'INCOME', limit: 1, offset: 0 },
          AS_OF,
        );
        const before = await services.assessment.areas(district, undefined, COMPARE);
        const street = await services.assessment.areas(
          { username: STREET.username, role: STREET.role, orgCode: STREET.orgCode },
          undefined,
          AS_OF,
        );
        expected = {
          poor: poor.total,
          huayangIncomePoor: huayangIncome.total,
          compareM0: before.unit.M0,
          street: { n: street.unit.n, q: street.unit.q, committees: street.children.filter((c) => c.n > 0).length },
        };
        expect(expected.poor).toBeGreaterThan(10);
        expect(expected.huayangIncomePoor).toBeGreaterThan(0);
      },
    });
    ({ page, base, services, pageErrors } = h);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("shows the district's n, q, H, A and M0 on the chosen date, with the contribution chart and the heat table", async () => {
    await login(DISTRICT.username);
    await page.getByRole('menuitem', { name: /需求评估/ }).click();
    await page.waitForURL(/\/assessment$/);
    await page.getByTestId('stat-n').waitFor();

    const dated = page.waitForResponse(
      (r) => r.url().includes('/api/assessment/areas?') && new URL(r.url()).searchParams.get('asOf') === AS_OF,
    );
    await pickDate('按日期评估', AS_OF);
    await dated;
    await page.waitForURL(new RegExp(`asOf=${AS_OF}`));

    await expect.poll(() => stat('n')).toBe('441户');
    expect(await stat('q')).toBe('54户');
    expect(await stat('H')).toBe('12.24%');
    expect(await stat('M0')).toBe('5.03%');
    expect(await page.locator('h1').textContent()).toContain('长宁区');
    expect(await page.locator('.tj-page-sub').textContent()).toContain(`评估日期 ${AS_OF}`);

    // The chart is drawn (a canvas) and described: every street with its M0.
    const chart = page.getByTestId('chart-contributions');
    await chart.locator('canvas').first().waitFor();
    const label = await chart.getAttribute('aria-label');
    expect(label).toContain('华阳路街道 M0');
    expect(label).toContain('新泾镇 M0');
    expect(label).toContain('虹桥街道 M0 8.49%');
    await page.getByTestId('chart-bands').locator('canvas').first().waitFor();

    // The heat table: one row per street, the district as the total.
    const heat = page.getByTestId('heat-table');
    await expect.poll(() => heat.locator('.ant-table-row').count()).toBe(10);
    const total = (await heat.locator('.ant-table-summary').filter({ visible: true }).first().textContent()) ?? '';
    expect(total.startsWith('合计44154')).toBe(true);
    expect(total).toContain('5.03%');
    // Away from the date picker, whose tooltip would cover the header.
    await page.locator('h1').click();
    await page.mouse.move(5, 5);
    await shot('assessment');
    await heat.scrollIntoViewIfNeeded();
    await shot('assessment-heat');
  });

  it('drills down to the households of band 困难, highest score first', async () => {
    const listed = page.waitForResponse(
      (r) => isHouseholds(r.url()) && new URL(r.url()).searchParams.get('band') === 'poor',
    );
    await choose('分档', '困难');
    const sent = new URL((await listed).url()).searchParams;
    expect(sent.get('asOf')).toBe(AS_OF);
    await settle();
    const table = page.getByTestId('drill-table');
    await expect.poll(() => table.locator('.ant-table-row').count()).toBe(10);
    expect(await page.getByTestId('drill-card').locator('.ant-pagination-total-text').textContent()).toBe(
      `共 ${expected.poor} 户`,
    );
    const bands = await table
      .locator('.ant-table-row [data-band]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-band')));
    expect(new Set(bands)).toEqual(new Set(['poor']));
    const scores = (await table.locator('.ant-table-row td:nth-child(4)').allTextContents()).map(Number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await page.getByTestId('drill-card').scrollIntoViewIfNeeded();
    await shot('assessment-drill');
  });

  it('filters by an indicator from a heat-table cell and from a column head', async () => {
    await page.getByTestId('heat-table').scrollIntoViewIfNeeded();
    const cell = page.waitForResponse(
      (r) => isHouseholds(r.url()) && new URL(r.url()).searchParams.get('indicator') === 'INCOME',
    );
    await page.getByTestId('heat-310105001-INCOME').filter({ visible: true }).first().click();
    const sent = new URL((await cell).url()).searchParams;
    // The band chosen before stays; the cell adds its unit and indicator.
    expect([sent.get('org'), sent.get('band'), sent.get('indicator')]).toEqual([STREET.orgCode, 'poor', 'INCOME']);
    await settle();
    const table = page.getByTestId('drill-table');
    await expect
      .poll(() => page.getByTestId('drill-card').locator('.ant-pagination-total-text').textContent())
      .toBe(`共 ${expected.huayangIncomePoor} 户`);
    const rows = await table.locator('.ant-table-row').allTextContents();
    expect(rows.every((r) => r.includes('收入困境'))).toBe(true);

    await page.getByTestId('heat-table').scrollIntoViewIfNeeded();
    const head = page.waitForResponse(
      (r) => isHouseholds(r.url()) && new URL(r.url()).searchParams.get('indicator') === 'EDUCATION',
    );
    await page.getByTestId('heat-head-EDUCATION').filter({ visible: true }).first().click();
    const headSent = new URL((await head).url()).searchParams;
    // A column head means the whole area.
    expect(headSent.get('org')).toBeNull();
    await settle();
    // The response can arrive before React has drawn the new rows: wait until they are drawn.
    await expect
      .poll(
        async () =>
          (await page.getByTestId('drill-table').locator('.ant-table-row').allTextContents()).every((r) =>
            r.includes('教育困境'),
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(page.url()).toContain('indicator=EDUCATION');
  });

  it('compares M0 and H with a second date', async () => {
    await page.getByTestId('trend-card').scrollIntoViewIfNeeded();
    const compared = page.waitForResponse(
      (r) => r.url().includes('/api/assessment/areas?') && new URL(r.url()).searchParams.get('asOf') === COMPARE,
    );
    await pickDate('对比日期', COMPARE);
    await compared;
    const table = page.getByTestId('trend-table');
    await expect.poll(() => table.locator('.ant-table-row').count()).toBe(3);
    // Earlier date first, then the chosen one, then the change (M0 is the last column).
    const [first, second, change] = await table.locator('.ant-table-row').allTextContents();
    expect(first).toContain(COMPARE);
    expect(first).toContain(`${(expected.compareM0 * 100).toFixed(2)}%`);
    expect(second).toContain(AS_OF);
    expect(second).toContain('12.24%');
    expect(second).toContain('5.03%');
    const points = Math.abs((0.05026455026455027 - expected.compareM0) * 100).toFixed(2);
    expect(change).toContain(`${expected.compareM0 > 0.05026455026455027 ? '−' : '+'}${points} 个百分点`);
    expect(page.url()).toContain(`compare=${COMPARE}`);
    await shot('assessment-trend');
  });

  it('explains the framework: dimensions, weights as fractions, conditions and help', async () => {
    const panel = page.getByTestId('framework-panel');
    await panel.scrollIntoViewIfNeeded();
    expect(await panel.textContent()).toContain('6 个维度、10 项指标，临界值 k = 1/3');
    await panel.getByRole('button', { name: /评估框架/ }).click();
    const table = page.getByTestId('framework-table');
    await expect.poll(() => table.locator('.ant-table-row').count()).toBe(10);
    const income = (await table.locator('.ant-table-row', { hasText: '收入困境' }).textContent()) ?? '';
    expect(income).toContain('物质');
    expect(income).toContain('1/18');
    expect(income).toContain('household.pc_income < 2 * LIBAO');
    expect(income).toContain('最低生活保障');
    expect(await table.locator('.ant-table-row', { hasText: '儿童青少年占比' }).textContent()).toContain('1/6');
    await table.scrollIntoViewIfNeeded();
    await shot('assessment-framework');
  });

  it('opens a household of the list on the same date and records its assessment', async () => {
    // Start from a fresh page with the band in its address: independent of the filters left by the
    // step before.
    await page.goto(`${base}/assessment?asOf=${AS_OF}&band=poor`);
    await settle();
    await expect
      .poll(async () => page.getByTestId('drill-table').locator('.ant-table-row a').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const link = page.getByTestId('drill-table').locator('.ant-table-row a').first();
    const householdId = (await link.textContent())!.trim();
    await link.click();
    await page.waitForURL(new RegExp(`/households/${householdId}\\?asOf=${AS_OF}$`));

    const card = page.getByTestId('household-assessment');
    await card.getByTestId('household-assessment-head').waitFor();
    expect(await card.getByTestId('household-assessment-head').textContent()).toContain('困难');
    const indicators = card.getByTestId('household-indicators');
    await expect.poll(() => indicators.locator('.ant-table-row').count()).toBe(10);
    // A deprived indicator lists the help that answers it.
    const deprived = indicators.locator('.ant-table-row', { has: page.locator('[data-status="deprived"]') });
    expect(await deprived.count()).toBeGreaterThan(0);
    expect(await deprived.first().textContent()).toMatch(/政策.*服务.*社会资源/);
    const history = card.getByTestId('assessment-history');
    expect(await history.textContent()).toContain('尚未存档');

    const recorded = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().includes(`/api/households/${householdId}/assessment`),
    );
    await card.getByTestId('record-assessment').click();
    expect(new URL((await recorded).url()).searchParams.get('asOf')).toBe(AS_OF);
    await expect.poll(() => history.locator('.ant-table-row').count()).toBe(1);
    const row = (await history.locator('.ant-table-row').first().textContent()) ?? '';
    expect(row).toContain(AS_OF);
    expect(row).toContain('第 1 版');
    expect(row).toContain(DISTRICT.username);
    await card.scrollIntoViewIfNeeded();
    await shot('household-assessment');
  });

  it('shows a street worker the street, its committees as the bars', async () => {
    await logout();
    await login(STREET.username);
    await page.goto(`${base}/assessment?asOf=${AS_OF}`);
    await expect.poll(() => stat('n')).toBe(`${expected.street.n}户`);
    expect(await stat('q')).toBe(`${expected.street.q}户`);
    expect(await page.locator('h1').textContent()).toContain('华阳路街道');
    await page.getByTestId('chart-contributions').locator('canvas').first().waitFor();
    await expect
      .poll(() => page.getByTestId('heat-table').locator('.ant-table-row').count())
      .toBe(expected.street.committees);
    await shot('assessment-street');
  });

  it('reads in English', async () => {
    await page.getByText('EN', { exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('Needs assessment');
    expect(await page.getByTestId('stat-M0').textContent()).toContain('Adjusted headcount M0');
    expect(await page.getByTestId('heat-table').textContent()).toContain('Share of children');
    await shot('assessment-en');
    await page.getByText('中文', { exact: true }).click();
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
