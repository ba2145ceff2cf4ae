/**
 * The assessment framework's versions in a real browser against the real server: a district admin
 * opens 评估框架, starts a draft, changes a weight and sees the sum refused, breaks a condition and
 * sees where, fixes both, previews the impact on the registry (bands, changes, per-street M0) and
 * publishes; then a household whose housing area the registry lacks gets its 入户问卷 answered.
 * Temporary SQLite with the sample snapshot; headless Chromium from Debian.
 *
 *   npx vitest run --config packages/web/vitest.e2e.config.ts e2e/framework.e2e.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSource, systemScope, type Services } from '@tingjian/server';
import { SAMPLES, startHarness, type Harness } from './harness.ts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AS_OF = '2026-11-28';
const DISTRICT = {
  username: 'changning.framework',
  displayName: '长宁区框架管理员',
  role: 'district' as const,
  orgCode: '310105',
};
const scope = { username: DISTRICT.username, role: DISTRICT.role, orgCode: DISTRICT.orgCode };

let h: Harness;
let page: Page;
let base: string;
let services: Services;
let pageErrors: string[];

const shot = (name: string) => h.shot(name);

async function pickDate(label: string, date: string) {
  const picker = page.getByRole('textbox', { name: label });
  await picker.click();
  await picker.fill(date);
  await picker.press('Enter');
}

describe('assessment framework editor', () => {
  beforeAll(async () => {
    h = await startHarness({
      name: 'framework',
      users: [DISTRICT],
      viewport: { width: 1366, height: 900 },
    });
    ({ page, base, services, pageErrors } = h);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('opens 评估框架 from the assessment page and starts a draft from the version in use', async () => {
    await h.login(DISTRICT.username);
    await page.getByRole('menuitem', { name: /需求评估/ }).click();
    await page.getByTestId('open-framework-editor').click();
    await page.waitForURL(/\/assessment\/framework$/);
    expect(await page.getByTestId('framework-in-use').textContent()).toContain('在用：第 1 版');
    await expect.poll(() => page.getByTestId('framework-versions').locator('.ant-table-row').count()).toBe(1);

    await page.getByTestId('new-draft').click();
    await expect
      .poll(() => page.getByTestId('framework-draft').locator('.ant-card-head').textContent())
      .toContain('编辑草稿第 2 版');
    await expect.poll(() => page.getByTestId('framework-versions').locator('.ant-table-row').count()).toBe(2);
    expect(await page.getByTestId('weight-INCOME').inputValue()).toBe('1/18');
    expect(await page.getByTestId('weight-sum').getAttribute('data-ok')).toBe('true');
  });

  it('refuses weights that do not sum to 1 as they are typed, and a condition with an error, pointing at it', async () => {
    await page.getByTestId('weight-INCOME').fill('1/9');
    const sum = page.getByTestId('weight-sum');
    await expect.poll(() => sum.getAttribute('data-ok')).toBe('false');
    expect(await sum.textContent()).toContain('权重之和为 1.0556，应为 1');
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    expect(await page.getByTestId('preview-impact').isDisabled()).toBe(true);
    await shot('framework-weight-error');

    // The condition is checked by the server as it is typed; the error names its position.
    const rule = page.getByTestId('rule-HOUSING');
    const original = await rule.inputValue();
    await rule.fill('household.housing_area / household.siz < 10');
    const error = page.getByTestId('rule-error-HOUSING');
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toContain('第 26 个字符处');
    expect(await error.locator('mark').textContent()).toBe('household.siz');
    await rule.fill(original);
    await error.waitFor({ state: 'detached' });

    // Fixed: housing's weight moves to income, and k is lowered.
    await page.getByTestId('weight-HOUSING').fill('0');
    await page.getByTestId('framework-k').fill('1/4');
    await expect.poll(() => sum.getAttribute('data-ok')).toBe('true');
    await expect.poll(() => page.getByTestId('publish').isDisabled()).toBe(false);
  });

  it('previews the impact on the registry: bands before and after, changes, per-street M0', async () => {
    await pickDate('预览日期', AS_OF);
    const previewed = page.waitForResponse(
      (r) => r.url().includes('/api/assessment/frameworks/2/preview') && r.request().method() === 'POST',
    );
    await page.getByTestId('preview-impact').click();
    expect(new URL((await previewed).url()).searchParams.get('asOf')).toBe(AS_OF);
    const card = page.getByTestId('framework-preview');
    await card.waitFor();
    // The saved draft, previewed by the service itself: the page shows the same numbers.
    const stored = await services.assessment.version(scope, 2);
    expect(stored.definition.k).toBe('1/4');
    expect(stored.definition.indicators.find((x) => x.code === 'INCOME')!.weight).toBe('1/9');
    const want = await services.assessment.preview(scope, 2, AS_OF);
    expect(want.changed).toBeGreaterThan(0);
    expect(await page.getByTestId('preview-changed').textContent()).toBe(`${want.changed} 户分档改变`);
    const streets = page.getByTestId('preview-streets');
    await expect
      .poll(() => streets.locator('.ant-table-row').count())
      .toBe(want.byStreet.filter((s) => s.before.n > 0).length);
    const hongqiao = want.byStreet.find((s) => s.name === '虹桥街道')!;
    const row = (await streets.locator('.ant-table-row', { hasText: '虹桥街道' }).textContent()) ?? '';
    expect(row).toContain(`${(hongqiao.before.M0 * 100).toFixed(2)}%`);
    expect(row).toContain(`${(hongqiao.after.M0 * 100).toFixed(2)}%`);
    const transitions = page.getByTestId('preview-transitions');
    expect(await transitions.locator('.ant-table-row').count()).toBe(want.transitions.length);
    const bands = (await page.getByTestId('preview-bands-table').locator('.ant-table-row').allTextContents()).map((r) =>
      r.replace(/\s+/g, ''),
    );
    expect(bands[2]).toBe(`困难${want.bands.before.poor}${want.bands.after.poor}`);
    await page.getByTestId('preview-bands').locator('canvas').first().waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot('framework-preview');
  });

  it('publishes after a confirmation: version 2 is in use, for the service too', async () => {
    await page.getByTestId('publish').click();
    await page.getByTestId('confirm-publish').click();
    await expect.poll(() => page.getByTestId('framework-in-use').textContent()).toContain('在用：第 2 版');
    const v2 = page.getByTestId('framework-versions').locator('.ant-table-row', { hasText: '第 2 版' });
    await expect.poll(() => v2.textContent()).toContain('在用');
    expect(await v2.textContent()).toContain('已发布');
    expect(services.assessment.framework.def.version).toBe(2);
    expect(services.assessment.framework.k).toBe(0.25);
    const audit = await h.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'assessment.framework.publish')
      .execute();
    expect(audit).toHaveLength(1);
    await page.locator('h1').click();
    await shot('framework-published');

    await page.goto(`${base}/assessment?asOf=${AS_OF}`);
    await expect.poll(() => page.locator('.tj-page-sub').textContent()).toContain('第 2 版');
  });

  it('asks on a home visit what the registry lacks, and assesses with the answer', async () => {
    // The registry loses one household's housing area (a later snapshot with the cell empty).
    const lines = readFileSync(join(SAMPLES, 'changning-small/households.csv'), 'utf8').trim().split('\n');
    const header = lines[0]!;
    const target = lines.find((l) => l.includes(',310105001'))!;
    const cells = target.split(',');
    const area = cells[4]!;
    cells[4] = '';
    const snapshot = join(h.dir, 'later');
    mkdirSync(snapshot, { recursive: true });
    writeFileSync(join(snapshot, 'households.csv'), `${header}\n${cells.join(',')}\n`);
    await services.imports.importSnapshot(systemScope(), await openSource(snapshot));
    const householdId = cells[0]!;

    await page.goto(`${base}/households/${householdId}?asOf=${AS_OF}`);
    const card = page.getByTestId('household-assessment');
    await card.getByTestId('household-assessment-head').waitFor();
    await expect.poll(() => card.getByTestId('household-assessment-head').textContent()).toContain('1 项未能评估');
    await card.getByTestId('open-questionnaire').click();
    const dialog = page.getByTestId('questionnaire');
    await dialog.getByText('家里住房的使用面积是多少平方米？').waitFor();
    expect(await dialog.textContent()).toContain('用于：居住困境');
    await dialog.getByRole('spinbutton').first().fill(area);
    await shot('visit-questionnaire');
    const answered = page.waitForResponse(
      (r) => r.url().includes(`/api/households/${householdId}/visit-answers`) && r.request().method() === 'POST',
    );
    await page.getByTestId('submit-answers').click();
    expect((await answered).status()).toBe(200);
    await card.getByTestId('from-visit-HOUSING').waitFor();
    expect(await card.getByTestId('household-assessment-head').textContent()).not.toContain('未能评估');
    expect(await card.getByTestId('visit-applied').textContent()).toContain(`含入户回答 1 项（走访 ${AS_OF}）`);
    await card.scrollIntoViewIfNeeded();
    await shot('visit-answered');
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
