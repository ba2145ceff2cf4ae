/**
 * Signing in while an import's thread holds SQLite's write lock: the session is valid at once,
 * failed passwords still count (and slow the account down), a logout ends the session, and all of
 * it is written once the writer is free (db/write-behind.ts).
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleApi, TEST_PASSWORD, type SampleApi } from '../../test/helpers.ts';

describe('logins while another writer holds the lock (sqlite)', () => {
  let api: SampleApi;
  beforeAll(async () => {
    api = await sampleApi('sqlite', [
      { username: 'district', role: 'district', orgCode: '310105' },
      { username: 'huayang', role: 'street', orgCode: '310105001' },
    ]);
  });
  afterAll(async () => api.close());
  const login = (username: string, password: string, remoteAddress: string) =>
    api.app.inject({ method: 'POST', url: '/api/session', remoteAddress, payload: { username, password } });

  it('opens, checks and closes sessions, counts failures, and writes them all after', async () => {
    const { database } = api.services;
    const sessionsBefore = (await database.db.selectFrom('session').select('token_hash').execute()).length;
    // An import's thread: the file's write lock held by another connection, and the server told so.
    const other = new BetterSqlite3(database.location);
    other.exec('BEGIN IMMEDIATE');
    other.prepare("INSERT INTO meta (key, value) VALUES ('import-thread', 'writing')").run();
    database.reads!.hold();
    let cookie: string;
    try {
      const res = await login('district', TEST_PASSWORD, '10.9.0.1');
      expect(res.statusCode, res.body).toBe(200);
      cookie = `tj_session=${res.cookies.find((c) => c.name === 'tj_session')!.value}`;
      // The new session opens the workbench at once.
      const me = await api.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json().user.username).toBe('district');
      const list = await api.app.inject({ method: 'GET', url: '/api/residents?pageSize=1', headers: { cookie } });
      expect(list.statusCode, list.body).toBe(200);
      // Wrong passwords count as ever: the sixth try is told to wait.
      const codes: string[] = [];
      for (let i = 0; i < 6; i++) codes.push((await login('huayang', 'wrong password', '10.9.0.2')).json().error.code);
      expect(codes.at(-1)).toBe('TJ_LOGIN_DELAYED');
      // A second session, closed again before the writer is free.
      const second = await login('district', TEST_PASSWORD, '10.9.0.3');
      const secondCookie = `tj_session=${second.cookies.find((c) => c.name === 'tj_session')!.value}`;
      expect(
        (await api.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: secondCookie } })).statusCode,
      ).toBe(200);
      expect(
        (await api.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: secondCookie } })).statusCode,
      ).toBe(401);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      database.reads!.release();
    }
    await new Promise((r) => setTimeout(r, 300));
    // Written: the first session (the second was opened and closed), and the failure count.
    const sessionsAfter = (await database.db.selectFrom('session').select('token_hash').execute()).length;
    expect(sessionsAfter).toBe(sessionsBefore + 1);
    const account = await database.db
      .selectFrom('app_user')
      .select(['failed_logins', 'retry_after'])
      .where('username', '=', 'huayang')
      .executeTakeFirstOrThrow();
    expect(account.failed_logins).toBe(5);
    expect(account.retry_after).not.toBeNull();
    expect((await api.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(200);
  }, 60_000);
});
