/**
 * The tag dictionary and crowd selection in a real browser against the real server: the same
 * setup as workbench.e2e.ts (temporary SQLite registry with the sample snapshot, the built app
 * served by Fastify, Debian's headless Chromium). A street worker of 华阳路街道 selects residents
 * by typing and by building, ranks them, tags them in bulk, and browses the dictionary.
 * Screenshots go to test-artifacts/ at 1366×768.
 *
 *   npx vitest run --config packages/web/vitest.e2e.config.ts e2e/tags.e2e.ts
 *
 * Builds packages/web into a temporary directory first (so a concurrent build of dist/ cannot
 * change the app mid-run); TINGJIAN_E2E_SKIP_BUILD=1 serves packages/web/dist as it is instead.
 * TINGJIAN_CHROMIUM overrides the browser path.
 */
import { readFileSync } from 'node:fs';
import type { Services } from '@tingjian/server';
import { startHarness, type Harness } from './harness.ts';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const STREET = {
  username: 'huayang.tags',
  displayName: '华阳路标签测试员',
  role: 'street' as const,
  orgCode: '310105001',
};
const RANK = ['高龄老人', '独居老人', '大病'];

let h: Harness;
let page: Page;
let base: string;
let services: Services;
let pageErrors: string[];
/** A resident tagged in bulk, to find the tag on their 360 page. */
let tagged: { ref: string; name: string } | undefined;

const button = (name: string, within?: Page | Locator) => h.button(name, within);
const shot = (name: string) => h.shot(name);

/** What the server answers for an expression, asked with the browser's own session. */
async function apiCount(expression: string): Promise<number> {
  const res = await page.request.post(`${base}/api/selections/count`, { data: { expression } });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { count: number }).count;
}

const expressionBox = () => page.getByTestId('selection-expression');
const liveCount = () => page.getByTestId('live-count');

/** Waits until the live count shows the answer for exactly this text, and returns the card's state. */
async function settled(text: string): Promise<string> {
  await expect
    .poll(
      async () => {
        const card = liveCount();
        const state = await card.getAttribute('data-state');
        return (await card.getAttribute('data-expression')) === text && (state === 'ok' || state === 'error')
          ? state
          : 'pending';
      },
      { timeout: 15_000 },
    )
    .not.toBe('pending');
  return (await liveCount().getAttribute('data-state'))!;
}

async function shownCount(): Promise<number> {
  const text = await page.getByTestId('live-count-value').locator('.ant-statistic-content-value').textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

/**
 * Picks an option in the open (visible) Select dropdown. Dropdowns are virtual lists (options far
 * down are not rendered), so a searchable one is narrowed by typing first, as a user would.
 */
async function pickOption(text: string, search = false) {
  if (search) await page.keyboard.type(text);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: new RegExp(`^${text}$`) })
    .first()
    .click();
}

describe('tags and crowd selection', () => {
  beforeAll(async () => {
    h = await startHarness({ name: 'tags', users: [STREET] });
    ({ page, base, services, pageErrors } = h);
    await h.login(STREET.username);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('counts live as the worker types, the same number the server gives', async () => {
    await page.getByRole('menuitem', { name: /人群圈选/ }).click();
    await page.getByTestId('selection-page').waitFor();
    expect(await liveCount().getAttribute('data-state')).toBe('idle');

    const expression = '独居老人 AND NOT 特困';
    // Key by key: every keystroke restarts the pause; only the last text's answer is shown.
    await expressionBox().pressSequentially(expression, { delay: 25 });
    expect(await settled(expression)).toBe('ok');
    const shown = await shownCount();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBe(await apiCount(expression));
    // The services agree (the API is not just echoing the page).
    const scope = { username: STREET.username, role: STREET.role, orgCode: STREET.orgCode };
    expect(shown).toBe((await services.tags.count(scope, expression, services.today())).count);
    await page.getByTestId('live-count-areas').locator('li').first().waitFor();

    // The text has the builder's shape: the builder shows it as two groups.
    await expect.poll(() => page.locator('[data-testid^="builder-group-"]').count()).toBe(2);
    expect(await page.getByTestId('builder-group-1').textContent()).toContain('不包含');
  });

  it('shows a syntax error with its position, and an unknown tag marked in the text', async () => {
    await expressionBox().fill('独居老人 AND');
    expect(await settled('独居老人 AND')).toBe('error');
    const error = page.getByTestId('selection-error');
    await expect.poll(() => error.textContent()).toContain('第 9 个字符处');
    expect(await error.textContent()).toContain('表达式已结束');
    // The position past the end is marked after the text.
    await error.locator('.tj-expr-mark-end').waitFor();
    await page.getByText('表达式尚不完整，修正后构建器将同步').waitFor();
    await shot('selection-error-syntax');

    await expressionBox().fill('独居老人 AND agee');
    expect(await settled('独居老人 AND agee')).toBe('error');
    await expect.poll(() => error.textContent()).toContain('agee');
    expect(await error.locator('mark.tj-expr-mark').textContent()).toBe('agee');
    expect(await error.textContent()).toMatch(/第 10 个字符处/);
    await shot('selection-error-unknown-tag');

    // An expression the builder cannot show is left to the text box.
    await expressionBox().fill('NOT (独居老人 OR 特困)');
    await page.getByTestId('builder-advanced').waitFor();
    expect(await settled('NOT (独居老人 OR 特困)')).toBe('ok');
  });

  it('builds a selection visually, writing the expression, and ranks multi-tag residents first', async () => {
    await button('清空并改用构建器').click();
    expect(await expressionBox().inputValue()).toBe('');
    await page.getByTestId('selection-builder').waitFor();

    // Group 1: 高龄老人 或 独居老人 或 大病.
    await page.getByTestId('builder-add-group').click();
    const group0 = page.getByTestId('builder-group-0');
    for (const [k, code] of RANK.entries()) {
      if (k > 0) await page.getByTestId('builder-add-row-0').click();
      await group0.getByTestId('builder-tag').nth(k).click();
      await pickOption(code, true);
    }
    expect(await expressionBox().inputValue()).toBe('高龄老人 OR 独居老人 OR 大病');

    // Group 2: 不包含 特困.
    await page.getByTestId('builder-add-group').click();
    const group1 = page.getByTestId('builder-group-1');
    await group1.getByTestId('builder-negate').click();
    await pickOption('不包含');
    await group1.getByTestId('builder-tag').click();
    await pickOption('特困', true);
    const built = '(高龄老人 OR 独居老人 OR 大病) AND NOT 特困';
    expect(await expressionBox().inputValue()).toBe(built);
    expect(await settled(built)).toBe('ok');
    expect(await shownCount()).toBe(await apiCount(built));

    // Rank by the three tags, then show the list.
    await page.getByTestId('rank-tags').click();
    for (const code of RANK) await pickOption(code, true);
    await page.keyboard.press('Escape');
    await page.getByTestId('show-list').click();
    await page.waitForURL(/\/selections\?q=/);
    const table = page.getByTestId('selection-table');
    await table.locator('.ant-table-row').first().waitFor();

    // Highlighted rows carry two or more of the ranking tags, and come first.
    const ranks = (await table.getByTestId('row-rank').allTextContents()).map(Number);
    expect(ranks[0]).toBeGreaterThanOrEqual(2);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    const multi = table.locator('.ant-table-row.tj-row-multi');
    expect(await multi.count()).toBe(ranks.filter((r) => r >= 2).length);
    expect(await multi.first().locator('.ant-tag').count()).toBeGreaterThanOrEqual(2);
    // The summary says how many carry how many.
    const summary = await page.getByTestId('rank-summary').textContent();
    expect(summary).toMatch(/携带 2 个标签\s*\d+/);
    // The list's total is the live count.
    const total = await page.locator('.ant-pagination-total-text').textContent();
    expect(total).toContain(`共 ${await apiCount(built)} 人`);
    // Lists show masked numbers only and link by ref: no full id number anywhere in the page.
    const href = await table.locator('.ant-table-row').first().locator('a').first().getAttribute('href');
    const firstRef = href!.split('/').pop()!;
    expect(firstRef).toMatch(/^r\.[\w-]+$/);
    expect(await table.textContent()).not.toContain(services.refs.open(firstRef)!);
    expect(await page.content()).not.toMatch(/(?<![\d.])\d{17}[\dXx](?!\d)/);
    tagged = {
      ref: firstRef,
      name: (await table.locator('.ant-table-row').first().locator('a').first().textContent())!,
    };
    const carried = await multi.first().locator('.ant-tag').allTextContents();
    await page.locator('#tj-main').evaluate((el) => el.scrollTo(0, 0));
    await shot('selection');
    await page.getByTestId('selection-results').scrollIntoViewIfNeeded();
    await shot('selection-results');

    // The name opens the 360 view, whose 标签 card lists the same tags; Back returns to the list.
    await table.locator('.ant-table-row').first().locator('a').first().click();
    await page.waitForURL((url) => url.pathname === `/residents/${firstRef}`);
    const card = page.getByTestId('resident-tags');
    for (const code of carried) await card.locator(`[data-testid="resident-tag"][data-code="${code}"]`).waitFor();
    await shot('resident-360-tags');
    await page.goBack();
    await page.waitForURL(/\/selections\?q=/);
    await table.locator('.ant-table-row').first().waitFor();
    expect(await expressionBox().inputValue()).toBe(built);
    expect(await page.getByTestId('rank-tags').textContent()).toContain('高龄老人');
  });

  it('exports the ranked list as a workbook', async () => {
    const [download, request] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForRequest((r) => r.url().endsWith('/api/selections/export.xlsx') && r.method() === 'POST'),
      page.getByTestId('selection-export').click(),
    ]);
    expect(JSON.parse(request.postData() ?? '{}')).toMatchObject({
      expression: '(高龄老人 OR 独居老人 OR 大病) AND NOT 特困',
      rank: RANK,
    });
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(
      readFileSync((await download.path())!)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('tags everyone selected with 社会帮扶, and the count of 社会帮扶 goes up', async () => {
    const before = await apiCount('社会帮扶');
    await page.getByTestId('bulk-tag-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('bulk-form').waitFor();
    // Only manual tags are offered.
    await dialog.getByTestId('bulk-tag').click();
    // Wait for the option itself (the list is still opening when it first shows), then check a rule tag is not offered.
    const option = (text: string) =>
      page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text });
    await option('社会帮扶').waitFor();
    expect(await option('独居老人').count()).toBe(0);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '社会帮扶' }).click();
    // The reason is required.
    await dialog.getByTestId('bulk-submit').click();
    await dialog.getByText('请填写标注原因').waitFor();
    await dialog.getByTestId('bulk-reason').fill('慈善超市结对帮扶');
    await dialog.getByPlaceholder('例如：结对协议编号').fill('结对协议 2026-11');
    await shot('selection-bulk-tag');
    await dialog.getByTestId('bulk-submit').click();
    const result = dialog.getByTestId('bulk-result');
    await result.waitFor();
    const assigned = Number(/已标注 (\d+) 人/.exec((await result.textContent()) ?? '')?.[1]);
    expect(assigned).toBeGreaterThan(0);
    await dialog.getByTestId('bulk-done').click();

    expect(await apiCount('社会帮扶')).toBe(before + assigned);
    await expressionBox().fill('社会帮扶');
    expect(await settled('社会帮扶')).toBe('ok');
    expect(await shownCount()).toBe(before + assigned);
    // The list below is still the tagged selection, and the page says the conditions changed.
    expect(await page.getByTestId('results-stale').count()).toBe(1);
  });

  it('saves the selection and loads it again', async () => {
    await expressionBox().fill('独居老人 AND NOT 特困');
    expect(await settled('独居老人 AND NOT 特困')).toBe('ok');
    await page.getByTestId('save-selection').click();
    await page.getByTestId('selection-name').fill('独居非特困老人');
    await button('保存', page.getByRole('dialog')).click();
    const item = page.getByTestId('saved-item').filter({ hasText: '独居非特困老人' });
    await item.waitFor();
    await expressionBox().fill('');
    await item.getByRole('button', { name: '独居非特困老人', exact: true }).click();
    expect(await expressionBox().inputValue()).toBe('独居老人 AND NOT 特困');
    await page.waitForURL(/\/selections\?q=/);
    await page.getByTestId('selection-table').locator('.ant-table-row').first().waitFor();
  });

  it("shows the bulk-set tag on the resident's 360 page, with who set it and why", async () => {
    expect(tagged).toBeDefined();
    await page.goto(`${base}/residents/${tagged!.ref}`);
    const card = page.getByTestId('resident-tags');
    const chip = card.locator('[data-testid="resident-tag"][data-code="社会帮扶"]');
    await chip.waitFor();
    await chip.hover();
    const tip = page.locator('.ant-tooltip:visible');
    await expect.poll(() => tip.textContent()).toContain('慈善超市结对帮扶');
    expect(await tip.textContent()).toContain(STREET.username);
    await shot('resident-tags');
  });

  it("lists the street's tags in the dictionary, never another street's", async () => {
    await page.getByRole('menuitem', { name: /标签字典/ }).click();
    const tree = page.getByTestId('tag-tree');
    await tree.locator('.ant-table-row').first().waitFor();
    for (const code of ['3101', '310105', '310105001']) await page.getByTestId(`level-${code}`).waitFor();
    const other = services.org.childrenOf('310105').find((u) => u.code !== STREET.orgCode)!;
    expect(await tree.textContent()).not.toContain(other.name);
    expect(await page.getByTestId(`level-${other.code}`).count()).toBe(0);
    for (const code of ['低保', '重残', '社会帮扶', '独居老人', '高龄老人', '0-3岁儿童']) {
      await tree
        .getByTestId('tag-link')
        .filter({ hasText: new RegExp(`^${code}$`) })
        .first()
        .waitFor();
    }
    // The street's own tags are editable here; the district's are not.
    const lone = tree.locator('.ant-table-row', {
      has: page.getByTestId('tag-link').filter({ hasText: /^独居老人$/ }),
    });
    await lone.getByRole('button', { name: /编辑/ }).waitFor();
    const district = tree.locator('.ant-table-row', {
      has: page.getByTestId('tag-link').filter({ hasText: /^重残$/ }),
    });
    expect(await district.getByRole('button', { name: /编辑/ }).count()).toBe(0);
    // The count column is the server's count in the street.
    expect(await lone.textContent()).toContain(String(await apiCount('独居老人')));
    await shot('tags-dictionary');
  });

  it("shows a tag's count by committee as a chart and a table", async () => {
    await page
      .getByTestId('tag-tree')
      .getByTestId('tag-link')
      .filter({ hasText: /^独居老人$/ })
      .click();
    await page.waitForURL(/\/tags\/\d+$/);
    await page.getByTestId('tag-by-area-chart').waitFor();
    const rows = page.getByTestId('tag-by-area-table').locator('.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(1);
    expect(await page.getByTestId('tag-rule-text').textContent()).toBe('age >= 60 && household.size == 1');
    await shot('tag-detail');
    // "用于人群圈选" opens a selection of the tag.
    await page.getByTestId('use-in-selection').click();
    await page.waitForURL(/\/selections\?q=/);
    expect(await expressionBox().inputValue()).toBe('独居老人');
    await page.getByTestId('selection-table').locator('.ant-table-row').first().waitFor();
  });

  it("creates a rule tag, showing the server's rule error at its position first", async () => {
    await page.getByRole('menuitem', { name: /标签字典/ }).click();
    await page.getByTestId('new-tag').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('标签名').fill('低收入独居');
    await dialog.getByLabel('类别').click();
    await pickOption('救助类');
    await dialog.getByLabel('说明').fill('独居且本人月收入低于 2000 元');
    await dialog.getByTestId('tag-rule').fill('agee >= 60');
    await dialog.getByTestId('tag-form-submit').click();
    const error = dialog.getByTestId('tag-rule-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('第 1 个字符处');
    expect(await error.locator('mark.tj-expr-mark').textContent()).toBe('agee');
    // The vocabulary help inserts facts into the rule.
    await dialog.getByText('可用的事实与函数').click();
    await dialog.getByTestId('rule-vocabulary').waitFor();
    await shot('tag-create-rule-error');
    await dialog.getByTestId('tag-rule').fill('household.size == 1 && income < 2000');
    await dialog.getByTestId('tag-form-submit').click();
    await page.waitForURL(/\/tags\/\d+$/);
    await expect.poll(() => page.getByTestId('tag-title').textContent()).toContain('低收入独居');
    await page.getByTestId('tag-by-area-chart').waitFor();
  });

  it('stays readable in English', async () => {
    await page.getByText('EN', { exact: true }).click();
    await page.goto(
      `${base}/selections?q=${encodeURIComponent('独居老人 AND NOT 特困')}&rank=${encodeURIComponent('大病')}&rank=${encodeURIComponent('高龄老人')}`,
    );
    await page.getByTestId('selection-table').locator('.ant-table-row').first().waitFor();
    expect(await settled('独居老人 AND NOT 特困')).toBe('ok');
    const main = (await page.locator('#tj-main').textContent()) ?? '';
    for (const word of [
      'Crowd selection',
      'Conditions',
      'Live count',
      'Show the list',
      'Rank by tags',
      'Saved selections',
    ])
      expect(main).toContain(word);
    expect(main).not.toMatch(/圈选条件|实时人数|查看名单|排序标签/);
    await shot('selection-en');
    await page.getByRole('menuitem', { name: /Tag dictionary/ }).click();
    await page.getByTestId('tag-tree').locator('.ant-table-row').first().waitFor();
    expect(await page.getByTestId('tag-tree').textContent()).toContain('Assistance');
    await shot('tags-dictionary-en');
    await page.getByText('中文', { exact: true }).click();
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
