import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleApi, TEST_PASSWORD, type SampleApi } from '../../test/helpers.ts';
import { waitSeconds } from './login-guard.ts';

describe('waits after failed logins', () => {
  it('grow from 30 s and stop at 15 minutes', () => {
    expect([4, 5, 6, 7, 20].map((n) => waitSeconds(n, 4))).toEqual([0, 30, 60, 120, 900]);
  });
});

describe('password guessing and spraying', () => {
  let api: SampleApi;
  beforeAll(async () => {
    api = await sampleApi('sqlite', [
      { username: 'district', role: 'district', orgCode: '310105' },
      { username: 'huayang', role: 'street', orgCode: '310105001' },
      { username: 'xinjing', role: 'street', orgCode: '310105102' },
    ]);
  });
  afterAll(async () => api.close());
  const attempt = (username: string, password: string, remoteAddress = '127.0.0.1') =>
    api.app.inject({ method: 'POST', url: '/api/session', remoteAddress, payload: { username, password } });

  it('slows an account down after repeated failures, then locks it until a district admin lifts the lock', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) codes.push((await attempt('huayang', 'wrong password', '10.0.0.1')).json().error.code);
    expect(codes).toEqual([
      'TJ_BAD_CREDENTIALS',
      'TJ_BAD_CREDENTIALS',
      'TJ_BAD_CREDENTIALS',
      'TJ_BAD_CREDENTIALS',
      'TJ_BAD_CREDENTIALS',
      'TJ_LOGIN_DELAYED',
    ]);
    // Even the right password waits its turn.
    expect((await attempt('huayang', TEST_PASSWORD, '10.0.0.2')).statusCode).toBe(429);
    // Time passes (the wait is over) and the guessing goes on until the account locks.
    for (let i = 0; i < 5; i++) {
      await api.services.database.db
        .updateTable('app_user')
        .set({ retry_after: null })
        .where('username', '=', 'huayang')
        .execute();
      await attempt('huayang', 'wrong password', `10.0.1.${i}`);
    }
    const locked = await attempt('huayang', TEST_PASSWORD, '10.0.0.3');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('TJ_ACCOUNT_LOCKED');
    const users = (await api.call('district', 'GET', '/api/users')).json().items as Array<{
      username: string;
      locked: boolean;
    }>;
    expect(users.find((u) => u.username === 'huayang')).toMatchObject({ locked: true });
    // Another street cannot lift it; the district admin can.
    expect((await api.call('xinjing', 'POST', '/api/users/huayang/unlock')).statusCode).toBe(403);
    expect((await api.call('district', 'POST', '/api/users/huayang/unlock')).statusCode).toBe(200);
    expect((await attempt('huayang', TEST_PASSWORD, '10.0.0.3')).statusCode).toBe(200);
    const audit = await api.services.audit.recent(50);
    expect(audit.some((a) => a.action === 'user.unlock' && a.target === 'user:huayang')).toBe(true);
    expect(audit.some((a) => a.action === 'login.refused' && a.target === 'user:huayang')).toBe(true);
  });

  it('answers an unknown username exactly as an account', async () => {
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 6; i++) {
      known.push((await attempt('xinjing', 'wrong password', '10.2.0.1')).json().error.message);
      unknown.push((await attempt('nobody-here', 'wrong password', '10.2.0.2')).json().error.message);
    }
    expect(unknown).toEqual(known);
  });

  it('stops one address spraying many usernames', async () => {
    let limited = 0;
    for (let i = 0; i < 233; i++) {
      const res = await attempt(`user${i}`, 'Spring2026!', '10.3.0.9');
      if (res.statusCode === 429) limited++;
    }
    expect(limited).toBeGreaterThan(200);
    // Another address is not held up by it.
    expect((await attempt('district', TEST_PASSWORD, '10.3.0.10')).statusCode).toBe(200);
  });
});
