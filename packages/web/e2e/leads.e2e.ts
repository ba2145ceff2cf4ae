/**
 * "Policy finds people" in a real browser against the real server: the worklist (待主动发现 /
 * 待复核) with its explanation drawer and follow-up, the workbench's leads cards, the resident 360
 * policy check, and the public self-screener on a phone-sized screen. Temporary SQLite with the
 * sample snapshot; headless Chromium from Debian. Screenshots go to test-artifacts/.
 *
 *   npx vitest run --config packages/web/vitest.e2e.config.ts e2e/leads.e2e.ts
 *
 * The sample's expected findings are those of 2026-11-28, so the server's "today" is pinned to
 * that date (PATCH /api/leads, the 360 view and the workbench evaluate on today), and the worklist
 * is driven to the same date through its date picker (按日期测算), as a worker would.
 *
 * The street is 仙霞新村街道 (310105008): on 2026-11-28 it has a TEKUN lead (尹桂, 60 that day,
 * the first story) and a review; 华阳路街道 has neither on that date.
 */
import { readFileSync } from 'node:fs';
import type { Services } from '@tingjian/server';
import { startHarness, type Harness } from './harness.ts';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AS_OF = '2026-11-28';
const STREET = { username: 'xianxia.e2e', displayName: '仙霞测试员', role: 'street' as const, orgCode: '310105008' };
/** An adviser of 锦苑居委会, where the TEKUN lead lives. */
const ADVISER = {
  username: 'jinyuan.adviser',
  displayName: '锦苑救助顾问',
  role: 'adviser' as const,
  orgCode: '310105008013',
};

let h: Harness;
let page: Page;
let base: string;
let services: Services;
let pageErrors: string[];
let lead: { idNumber: string; ref: string; name: string; committeeName: string };
let review: { name: string; policyName: string; total: number };
let totals: { leads: number; reviews: number };

const button = (name: string, within?: Page | Locator) => h.button(name, within);
const shot = (name: string) => h.shot(name);
const login = (username: string) => h.login(username);
const logout = () => h.logout();

/** Chooses an option of an Ant Design select by its accessible name. */
async function choose(scope: Page | ReturnType<Page['locator']>, label: string, option: string) {
  await scope.getByRole('combobox', { name: label }).click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

const settle = () =>
  page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);

describe('policy finds people', () => {
  beforeAll(async () => {
    h = await startHarness({
      name: 'leads',
      users: [STREET, ADVISER],
      today: AS_OF,
      prepare: async (s) => {
        services = s;
        // What the page must show, from the service itself on the sample's date.
        const scope = { username: STREET.username, role: STREET.role, orgCode: STREET.orgCode };
        const query = { kind: 'lead' as const, policy: 'TEKUN', limit: 20, offset: 0 };
        const tekun = await services.policies.leads(scope, query, AS_OF);
        const first = tekun.items.find((r) => r.committeeCode === ADVISER.orgCode);
        expect(first, "a TEKUN lead in the adviser's committee").toBeDefined();
        lead = {
          idNumber: services.refs.open(first!.ref)!,
          ref: first!.ref,
          name: first!.name,
          committeeName: first!.committeeName,
        };
        const reviews = await services.policies.leads(scope, { ...query, kind: 'review', policy: undefined }, AS_OF);
        expect(reviews.total, 'reviews in the street').toBeGreaterThan(0);
        review = { name: reviews.items[0]!.name, policyName: reviews.items[0]!.policyName, total: reviews.total };
        const summary = await services.policies.summary(scope, undefined, AS_OF);
        totals = {
          leads: summary.policies.reduce((n, p) => n + p.leads, 0),
          reviews: summary.policies.reduce((n, p) => n + p.reviews, 0),
        };
      },
    });
    ({ page, base, services, pageErrors } = h);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("lists the street's TEKUN leads on the chosen date", async () => {
    await login(STREET.username);
    await page.getByRole('menuitem', { name: /待主动发现/ }).click();
    await page.waitForURL(/\/leads$/);
    await page.getByTestId('leads-table').waitFor();

    // 按日期测算: the sample's date, typed into the date picker.
    const dated = page.waitForResponse(
      (r) => r.url().includes('/api/leads?') && new URL(r.url()).searchParams.get('asOf') === AS_OF,
    );
    const picker = page.getByRole('textbox', { name: '按日期测算' });
    await picker.click();
    await picker.fill(AS_OF);
    await picker.press('Enter');
    await dated;
    await page.waitForURL(new RegExp(`asOf=${AS_OF}`));

    const filtered = page.waitForResponse(
      (r) => r.url().includes('/api/leads?') && new URL(r.url()).searchParams.get('policy') === 'TEKUN',
    );
    await choose(page, '政策', '特困人员供养');
    await filtered;
    await settle();
    const row = page.locator('.ant-table-row', { hasText: lead.name });
    await row.first().waitFor();
    const table = await page.getByTestId('leads-table').textContent();
    expect(table).toContain('特困人员供养');
    expect(table).toContain(lead.committeeName);
    // Masked id numbers only; the name links to the 360 view by ref.
    expect(table).not.toContain(lead.idNumber);
    expect(await row.first().getByRole('link', { name: lead.name }).getAttribute('href')).toBe(
      `/residents/${lead.ref}`,
    );
    expect(await page.locator('.tj-page-sub').first().textContent()).toContain(AS_OF);
    await shot('leads');

    // The export takes the same filters, the date included.
    const [xlsx, exportRequest] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForRequest((r) => r.url().includes('/api/leads/export.xlsx')),
      button('导出 Excel').click(),
    ]);
    const sent = new URL(exportRequest.url()).searchParams;
    expect([sent.get('kind'), sent.get('policy'), sent.get('asOf')]).toEqual(['lead', 'TEKUN', AS_OF]);
    expect(xlsx.suggestedFilename()).toBe(`leads-${AS_OF}.xlsx`);
    expect(
      readFileSync((await xlsx.path())!)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('explains the lead condition by condition, with the parameters and their sources', async () => {
    await page.locator('.ant-table-row', { hasText: lead.name }).first().getByTestId('why-button').click();
    const detail = page.getByTestId('lead-detail');
    const explanation = detail.getByTestId('lead-explanation');
    await explanation.waitFor();
    // Each condition in the pack's words; the rule code only on request.
    const words = await explanation.getByTestId('trace-tree').textContent();
    for (const label of ['本市户籍', '年满60岁、未成年或持有残疾人证', '本人月收入低于低保标准', '没有能够赡养'])
      expect(words).toContain(label);
    expect(words).not.toContain('income < LIBAO');
    await explanation.getByRole('switch', { name: '显示规则代码' }).click();
    await explanation.getByText('income < LIBAO').waitFor();
    const text = await explanation.textContent();
    for (const condition of ['local', 'no_work_capacity', 'income < LIBAO', 'able_supporter'])
      expect(text).toContain(condition);
    expect(text).toContain('本人月收入');
    expect(text).toContain('以下条件满足其一');
    const params = await explanation.getByTestId('parameters-table').textContent();
    expect(params).toContain('LIBAO');
    expect(params).toContain('低保标准');
    expect(params).toContain('1,510');
    expect(params).toContain('reference value, confirm against the official notice');
    expect(params).toContain('特困人员认定办法 (2021)');
    // Every top-level condition of an eligible lead is met.
    expect(await explanation.locator('[data-testid="trace-tree"] > .tj-trace-item[data-outcome="fail"]').count()).toBe(
      0,
    );
    await shot('explanation');
  });

  it("assigns the lead to the committee's adviser", async () => {
    const detail = page.getByTestId('lead-detail');
    await choose(detail, '分派给救助顾问', ADVISER.displayName);
    const patched = page.waitForRequest((r) => r.url().includes('/api/leads') && r.method() === 'PATCH');
    await detail.getByRole('button', { name: /分\s*派/ }).click();
    // The page acts on the lead by its row's ref, never by the id number.
    const sent = (await patched).postDataJSON() as Record<string, unknown>;
    expect(sent).toMatchObject({ ref: lead.ref, policy: 'TEKUN', status: 'assigned' });
    expect(JSON.stringify(sent)).not.toContain(lead.idNumber);
    await expect.poll(() => detail.getByTestId('lead-status').textContent()).toBe('已分派');
    await detail.getByTestId('lead-history').getByText(`${STREET.username} 改为“已分派”`).waitFor();
    await detail.getByTestId('lead-history').scrollIntoViewIfNeeded();
    await shot('explanation-workflow');
    // A closed move needs a reason: the dialog will not submit without one.
    await detail.getByTestId('move-declined').click();
    const dialog = page.locator('.ant-modal', { hasText: '本人拒绝' });
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await dialog.getByText('请填写原因').waitFor();
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await page.locator('.ant-drawer-close').click();
    await page.getByTestId('lead-detail').waitFor({ state: 'detached' });
    // The row shows the new status and the adviser.
    const row = page.locator('.ant-table-row', { hasText: lead.name }).first();
    await expect.poll(() => row.textContent()).toContain(ADVISER.username);
    expect(await row.textContent()).toContain('已分派');
  });

  it('lists the reviews on their own tab', async () => {
    await page.getByRole('tab', { name: '待复核' }).click();
    await page.waitForURL(/kind=review/);
    // The policy filter stays with the tab (TEKUN reviews): clear it to see every review.
    await button('清除筛选').click();
    await page.waitForURL((url) => !url.searchParams.has('policy'));
    await settle();
    expect(new URL(page.url()).searchParams.get('kind')).toBe('review');
    await page
      .locator('.ant-table-row', { hasText: review.name })
      .filter({ hasText: review.policyName })
      .first()
      .waitFor();
    expect(await page.getByTestId('leads-table').locator('.ant-table-row').count()).toBe(review.total);
    expect(page.url()).toContain(`asOf=${AS_OF}`);
    await shot('reviews');
  });

  it('shows reached, leads and take-up per policy on the workbench', async () => {
    await page.getByRole('menuitem', { name: /工作台/ }).click();
    const card = page.getByTestId('home-leads');
    await card.getByText('其中待处理').waitFor();
    // The figures of the street on the sample's date, one lead assigned since.
    const statistics = await card.locator('.ant-statistic-content-value').allTextContents();
    expect(statistics).toEqual([String(totals.leads), String(totals.reviews)]);
    expect(await card.textContent()).toContain(`其中待处理 ${totals.leads - 1}`);
    // 需求评估 beside it: the street's deprived households today, no longer a placeholder.
    const assessmentCard = page.getByTestId('home-assessment');
    await assessmentCard.getByText('多维困难家庭').waitFor();
    expect(await assessmentCard.textContent()).toMatch(
      /共评估 [\d,]+ 户 · 困难发生率 H [\d.]+% · 调整后发生率 M0 [\d.]+/,
    );
    expect(await page.getByTestId('home-page').textContent()).not.toContain('即将上线');
    await page.getByTestId('chart-leads-policies').waitFor();
    await page.getByTestId('chart-leads-areas').waitFor();
    await page.getByTestId('home-leads-chart').scrollIntoViewIfNeeded();
    await shot('home-leads');
  });

  it('shows the policy pack with rules, parameters and their sources', async () => {
    await page.getByRole('menuitem', { name: /政策库/ }).click();
    const tekun = page.getByTestId('policy-TEKUN');
    await tekun.waitFor();
    // The rule as its conditions in the pack's words, the code behind the switch.
    const words = await tekun.getByTestId('conditions-TEKUN').textContent();
    expect(words).toContain('本人月收入低于低保标准');
    expect(words).not.toContain('income < LIBAO');
    await page.getByRole('switch', { name: '显示规则代码' }).click();
    await tekun.getByText('income < LIBAO').waitFor();
    const text = await tekun.textContent();
    expect(text).toContain('社会救助暂行办法');
    expect(text).toContain('income < LIBAO');
    const params = await page.getByTestId('pack-parameters').textContent();
    expect(params).toContain('低保标准');
    expect(params).toContain('1,510');
    expect(params).toContain('reference value, confirm against the official notice');
    await shot('policies');
  });

  it('shows the policy check on the resident 360 view', async () => {
    await page.goto(`${base}/residents/${lead.ref}`);
    const card = page.getByTestId('eligibility-card');
    await card.locator('.ant-table-row', { hasText: '特困人员供养' }).waitFor();
    expect(await card.locator('.ant-table-row').count()).toBe(9);
    await card.locator('.ant-table-row', { hasText: '特困人员供养' }).click();
    await card.getByTestId('explanation-TEKUN').getByText('本人月收入低于低保标准').waitFor();
    await card.getByTestId('explanation-TEKUN').getByRole('switch', { name: '显示规则代码' }).click();
    await card.getByTestId('explanation-TEKUN').getByText('income < LIBAO').waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot('resident-eligibility');
    await logout();
  });

  it('lets the adviser mark the lead assigned to them as contacted', async () => {
    await login(ADVISER.username);
    await page.goto(`${base}/leads?policy=TEKUN&asOf=${AS_OF}`);
    await page.getByTestId('leads-table').waitFor();
    await page.getByText('只看分派给我的').click();
    await page.waitForURL(/assignee=/);
    await settle();
    await page.locator('.ant-table-row', { hasText: lead.name }).first().getByTestId('why-button').click();
    const detail = page.getByTestId('lead-detail');
    await detail.getByTestId('lead-explanation').waitFor();
    // An adviser does not hand findings on.
    expect(await detail.getByRole('combobox', { name: '分派给救助顾问' }).count()).toBe(0);
    await detail.getByTestId('move-contacted').click();
    await expect.poll(() => detail.getByTestId('lead-status').textContent()).toBe('已联系');
    await detail.getByTestId('lead-history').getByText(`${ADVISER.username} 改为“已联系”`).waitFor();
    await page.locator('.ant-drawer-close').click();
    await logout();
  });

  it('tells a resident on a phone, without signing in, that a 65-year-old alone may get TEKUN', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('screener-link').click();
    await page.waitForURL(/\/screener$/);
    const member = page.getByTestId('member-1');
    await member.getByLabel('年龄（周岁）').fill('65');
    const radio = (text: string) => member.locator('.ant-radio-button-wrapper', { hasText: text }).click();
    await radio('男');
    await radio('本市户口');
    await choose(member, '工作情况', '无');
    await radio('完全不能');
    await radio('不能或没有');
    await shot('screener-form');
    await button('开始测算').click();
    const result = page.getByTestId('screener-result');
    const tekun = result.getByTestId('result-TEKUN');
    await tekun.waitFor();
    expect(await tekun.getAttribute('class')).toContain('tj-screener-pass');
    const text = await tekun.textContent();
    expect(text).toContain('特困人员供养');
    expect(text).toContain('本市户籍');
    // Conditions the server sends in the rule language read as words too.
    // The server words the condition plainly; the page shows it as given.
    expect(text).toContain('年满60岁、未成年或持有残疾人证');
    expect(text).not.toContain('TEKUN_MINOR_AGE');
    expect(text).toContain('没有能够赡养');
    expect(text).toContain('怎么申请');
    expect(await result.getByTestId('screener-notice').textContent()).toContain('不保存任何个人信息');
    await tekun.scrollIntoViewIfNeeded();
    await shot('screener');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
