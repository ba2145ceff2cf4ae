/**
 * The audit log in a real browser against the real server (the setup of workbench.e2e.ts): a
 * committee worker opens a resident's 360 view; the district administrator finds that in 审计日志
 * by the resident's id number, checks the chain, and sees the check fail once a row has been
 * edited with SQL. Screenshots go to test-artifacts/ at 1366×768.
 *
 *   npx vitest run --config packages/web/vitest.e2e.config.ts packages/web/e2e/audit.e2e.ts
 */
import type { Services } from '@tingjian/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

const WORKER = {
  username: 'jiangsu.c1',
  displayName: '居委测试员',
  role: 'committee' as const,
  orgCode: '310105001001',
};
const DISTRICT = {
  username: 'changning.audit',
  displayName: '长宁区审计管理员',
  role: 'district' as const,
  orgCode: '310105',
};

let h: Harness;
let page: Page;
let base: string;
let services: Services;
let person: { idNumber: string; name: string };

describe('the audit log page', () => {
  beforeAll(async () => {
    h = await startHarness({
      name: 'audit',
      users: [WORKER, DISTRICT],
      prepare: async (s) => {
        person = await s.database.db
          .selectFrom('resident')
          .select(['id_number as idNumber', 'name'])
          .where('committee_code', '=', WORKER.orgCode)
          .orderBy('id_number')
          .executeTakeFirstOrThrow();
      },
    });
    ({ page, base, services } = h);
  });
  afterAll(async () => h?.close());

  it('is not offered to a committee worker, whose look at a resident is recorded', async () => {
    await h.login(WORKER.username);
    expect(await page.getByRole('menuitem', { name: /审计日志/ }).count()).toBe(0);
    await page.goto(`${base}/residents/${person.idNumber}`);
    await page.getByText(person.name).first().waitFor();
    const refused = await page.request.get(`${base}/api/audit`);
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('TJ_FORBIDDEN');
    await h.logout();
  });

  it('shows the district administrator who looked at the resident, by id number', async () => {
    await h.login(DISTRICT.username);
    await page.getByRole('menuitem', { name: /审计日志/ }).click();
    await page.getByTestId('audit-page').waitFor();
    await page.locator('[data-testid="audit-table"] .ant-table-row').first().waitFor();

    const box = page.getByLabel('按身份证号查看谁看过此人');
    await box.fill('12345');
    await h.button('查看').click();
    await page.getByText('身份证号应为 18 位').waitFor();

    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/audit?') && new URL(r.url()).searchParams.get('idNumber') === person.idNumber,
    );
    await box.fill(person.idNumber);
    await h.button('查看').click();
    await answered;
    const result = page.getByTestId('audit-person-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(new RegExp(`谁看过身份证号 ${person.idNumber} 的记录：共 \\d+ 条`));
    const view = page
      .locator('[data-testid="audit-table"] .ant-table-row', { hasText: '查看居民360视图' })
      .filter({ hasText: WORKER.displayName });
    await view.first().waitFor();
    expect(await view.first().textContent()).toContain(`resident:${person.idNumber}`);
    // Every row names the person (their views, lists that showed them, their household).
    const rows = await page.locator('[data-testid="audit-table"] .ant-table-row').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(page.url()).toContain(`idNumber=${person.idNumber}`);
    await h.shot('audit-who-looked');

    // Asking was itself recorded, under the person.
    const trail = await services.audit.recent(20, DISTRICT.username);
    expect(trail.some((e) => e.action === 'audit.read' && e.target === `resident:${person.idNumber}`)).toBe(true);
  });

  it('filters by action and pages on the server', async () => {
    await page.getByRole('button', { name: '清除' }).click();
    await page.getByTestId('audit-action').click();
    await page.keyboard.type('resident.view');
    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/audit?') && new URL(r.url()).searchParams.get('action') === 'resident.view',
    );
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '（resident.view）' })
      .first()
      .click();
    await answered;
    expect(page.url()).toMatch(/action=resident\.view/);
    // The answer arrives before React has drawn it: wait until the table shows only that action.
    const cells = page.locator('[data-testid="audit-table"] .ant-table-row .audit-action');
    await page
      .waitForFunction(
        () => {
          const texts = Array.from(
            document.querySelectorAll('[data-testid="audit-table"] .ant-table-row .audit-action'),
            (e) => e.textContent,
          );
          return texts.length > 0 && texts.every((t) => t === '查看居民360视图');
        },
        undefined,
        { timeout: 10_000 },
      )
      .catch(() => undefined);
    expect(new Set(await cells.allTextContents())).toEqual(new Set(['查看居民360视图']));
  });

  it('checks the chain, and names the row once it has been edited with SQL', async () => {
    await h.button('校验完整性').click();
    const ok = page.getByTestId('audit-verification');
    await ok.waitFor();
    expect(await ok.textContent()).toMatch(/审计日志完整：\d+ 条，\d+ 个签名检查点/);
    await ok.locator('.ant-alert-close-icon').click();

    const row = await services.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'resident.view')
      .where('actor', '=', WORKER.username)
      .executeTakeFirstOrThrow();
    await services.database.db
      .updateTable('audit_log')
      .set({ detail: '{"note":"nobody looked"}' })
      .where('id', '=', row.id)
      .execute();
    await h.button('校验完整性').click();
    const bad = page.getByTestId('audit-verification');
    await bad.waitFor();
    await expect.poll(async () => bad.getAttribute('class')).toMatch(/ant-alert-error/);
    expect(await bad.textContent()).toMatch(
      new RegExp(`审计日志不完整：第 \\d+ 条（id=${row.id}）被改动：内容与其哈希不符`),
    );
    await h.shot('audit-tampered');
    expect(h.pageErrors).toEqual([]);
  });
});
