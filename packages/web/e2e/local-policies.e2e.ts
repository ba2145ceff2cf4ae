/**
 * Local policies in a real browser against the real server: a district admin writes a draft on
 * 政策库 → 本地政策, sees a rule error marked where it is, fixes it, adds a dated and cited
 * parameter, simulates the stored draft (who gains, by area, monthly amounts, masked examples),
 * publishes it after confirming, and sees it in the list as published — and its leads exist.
 * Temporary SQLite with the sample snapshot; headless Chromium from Debian.
 *
 *   npx vitest run --config packages/web/vitest.e2e.config.ts e2e/local-policies.e2e.ts
 */
import { systemScope, type Services } from '@tingjian/server';
import { startHarness, type Harness } from './harness.ts';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AS_OF = '2026-11-28';
const DISTRICT = { username: 'district', displayName: '长宁区管理员', role: 'district' as const, orgCode: '310105' };
const CODE = 'CN_NINETY_CARE';

let h: Harness;
let page: Page;
let base: string;
let services: Services;
let pageErrors: string[];

const button = (name: string, within?: Page | Locator) => h.button(name, within);
const form = () => page.getByTestId('local-policy-form');
const field = (label: string) => form().getByRole('textbox', { name: label, exact: true });

const shot = (name: string) => h.shot(name);

describe('local policies', () => {
  beforeAll(async () => {
    h = await startHarness({
      name: 'local',
      users: [DISTRICT],
      today: AS_OF,
    });
    ({ page, base, services, pageErrors } = h);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('drafts, sees the rule error, fixes it, simulates, publishes, and lists the policy as published', async () => {
    await h.login(DISTRICT.username);
    await page.getByRole('menuitem', { name: /政策库/ }).click();
    await page.waitForURL(/\/policies/);
    // The sample's date, so the simulation counts what the sample holds on it.
    await page.goto(`${base}/policies?asOf=${AS_OF}`);
    await page.getByTestId('local-policies').waitFor();
    expect(await page.getByTestId('local-policy-list').textContent()).toContain('还没有本地政策');

    // A draft with a misspelt fact: refused, the wrong word marked.
    await page.getByTestId('local-policy-create').click();
    await form().waitFor();
    await field('代码').fill(CODE);
    await field('名称').fill('长宁区九十岁以上老人关爱');
    await field('法规依据').fill('长宁区民政局关于九十岁以上老人关爱的通知（2025）');
    await field('生效日期').fill('2025-01-01');
    await field('认定规则（规则语言）').fill('local && agee >= 90');
    await field('金额公式（元/月，可空）').fill('CN_NINETY_YUAN');
    await page.getByTestId('local-policy-add-parameter').click();
    await field('参数名 1').fill('CN_NINETY_YUAN');
    await field('含义 1').fill('每月关爱金');
    await field('单位 1').fill('元/人/月');
    await field('起始日期 1.1').fill('2025-01-01');
    await form().getByRole('spinbutton', { name: '取值 1.1' }).fill('200');
    await field('来源 1.1').fill('长宁区民政局通知（2025）');
    await page.getByTestId('local-policy-save').click();
    const ruleError = page.getByTestId('local-policy-rule-error');
    await ruleError.waitFor();
    expect(await ruleError.textContent()).toContain('第 10 个字符处');
    expect(await page.getByTestId('local-policy-rule-error-mark').textContent()).toBe('agee');
    await shot('local-policy-rule-error');
    expect(await services.localPolicies.list(systemScope())).toEqual([]);

    // Fixed, each condition worded (what explanations will show in place of the code): saved as draft v1.
    await field('认定规则（规则语言）').fill('local && age >= 90');
    await field('条件说明 1').fill('本市户籍');
    await field('条件说明 2').fill('年满90岁');
    await page.getByTestId('local-policy-save').click();
    await form().waitFor({ state: 'detached' });
    await page.getByTestId(`local-policy-status-${CODE}`).waitFor();
    expect(await page.getByTestId(`local-policy-status-${CODE}`).textContent()).toBe('草稿');

    // 模拟: the stored draft's impact, as the service computes it.
    const scope = { username: DISTRICT.username, role: DISTRICT.role, orgCode: DISTRICT.orgCode };
    const want = (await services.localPolicies.simulate(scope, CODE, AS_OF)).impacts.find((x) => x.policy === CODE)!;
    expect(want.gains).toBeGreaterThan(0);
    const row = page.locator('.ant-table-row', { hasText: CODE });
    await row.getByRole('button', { name: /模\s*拟/ }).click();
    await page.getByTestId('simulation').waitFor();
    expect(await page.getByTestId('simulation-gains').textContent()).toContain(String(want.gains));
    expect((await page.getByTestId('simulation-monthly-after').textContent())?.replace(/,/g, '')).toContain(
      String(want.monthlyAfterYuan),
    );
    const byArea = await page.getByTestId('simulation-by-area').textContent();
    expect(byArea).toContain('华阳路街道');
    const examples = await page.getByTestId('simulation-examples').textContent();
    expect(examples).toContain(want.examples.gains[0]!);
    expect(examples).toMatch(/\*/);
    await shot('local-policy-simulation');

    // 发布, after confirming.
    await page.getByTestId('simulation-publish').click();
    await button('确定').click();
    await page.getByTestId('simulation').waitFor({ state: 'detached' });
    await page.locator(`[data-testid="local-policy-status-${CODE}"]`, { hasText: '已发布' }).waitFor();
    const list = await page.getByTestId('local-policy-list').textContent();
    expect(list).toContain('长宁区九十岁以上老人关爱');
    expect(list).toContain('2025-01-01 起');
    expect(list).toContain('第 1 版');
    await shot('local-policy-published');

    // Published: its leads are in the worklist.
    const leads = await services.policies.leads(scope, { kind: 'lead', policy: CODE, limit: 20, offset: 0 }, AS_OF);
    expect(leads.total).toBe(want.gains);
    // And they are explained in the words the form was given.
    const why = (await services.policies.eligibility(scope, leads.items[0]!.ref, AS_OF)).policies.find(
      (p) => p.policy === CODE,
    )!;
    expect(why.trace.parts.map((t) => t.label)).toEqual(['本市户籍', '年满90岁']);
    expect(pageErrors).toEqual([]);
  });
});
