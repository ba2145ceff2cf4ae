/**
 * Password guessing as a person meets it: the street worker's account locks after repeated
 * failures, the login page says so in Chinese, and the district admin lifts the lock on 用户与角色.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Harness } from './harness.ts';

describe('a locked account (browser)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      name: 'lockout',
      users: [
        { username: 'district', displayName: '区管理员', role: 'district', orgCode: '310105' },
        { username: 'huayang', displayName: '华阳路', role: 'street', orgCode: '310105001' },
      ],
    });
  }, 180_000);
  afterAll(async () => h?.close());

  it('says the account is locked, and the district admin unlocks it', async () => {
    const { page, base } = h;
    // Ten failures from different addresses (as a spraying attacker would), the waits passed over.
    for (let i = 0; i < 10; i++) {
      await h.services.database.db
        .updateTable('app_user')
        .set({ retry_after: null })
        .where('username', '=', 'huayang')
        .execute();
      await h.services.auth.login('huayang', 'wrong password', `10.7.0.${i}`).catch(() => undefined);
    }
    await page.goto(`${base}/login`);
    await page.getByLabel('用户名').fill('huayang');
    await page.getByLabel('密码').fill(PASSWORD);
    await h.button('登录').click();
    await page
      .getByText(/已被锁定/)
      .first()
      .waitFor();
    await h.shot('lockout-login-1366');

    await h.login('district');
    await page.getByRole('menuitem', { name: /用户与角色/ }).click();
    await page.getByTestId('users-page').waitFor();
    await page.getByText('已锁定').first().waitFor();
    await h.shot('lockout-users-1366');
    await page.getByTestId('unlock-huayang').click();
    await h.button('解锁', page.locator('.ant-popover')).click();
    await page.getByText('已解锁 huayang').waitFor();
    // The message comes before the list is read again: wait for the list to say it.
    await expect.poll(() => page.getByText('已锁定').count(), { timeout: 10_000 }).toBe(0);
    await h.logout();
    await h.login('huayang');
    expect(h.pageErrors).toEqual([]);
  }, 180_000);
});
