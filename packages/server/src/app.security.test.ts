/**
 * The HTTP edge as a stranger meets it: nothing is parsed before the caller is known, bodies are
 * small unless a route needs more, answers carry the headers that keep a browser from leaking
 * personal data, and state-changing requests from another site are refused.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { freshServices, sampleApi, type SampleApi } from './test/helpers.ts';

describe('the HTTP edge', () => {
  let api: SampleApi;
  beforeAll(async () => {
    api = await sampleApi('sqlite', [
      { username: 'district', role: 'district', orgCode: '310105' },
      { username: 'huayang', role: 'street', orgCode: '310105001' },
    ]);
  });
  afterAll(async () => api.close());

  it('refuses a stranger before reading the body', async () => {
    // Malformed JSON: a server that parsed first would answer 400; the stranger gets 401.
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/tags',
      headers: { 'content-type': 'application/json' },
      payload: '{"not json',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('TJ_UNAUTHENTICATED');
    const list = await api.app.inject({ method: 'GET', url: '/api/residents' });
    expect(list.statusCode).toBe(401);
  });

  it('keeps bodies small: 1 MiB for a signed-in caller, 16 KiB for the public screener', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    const signedIn = await api.call('district', 'POST', '/api/selections/query', JSON.parse(big));
    expect(signedIn.statusCode).toBe(413);
    expect(signedIn.json().error.message).toMatch(/请求体过大/);
    const screener = await api.app.inject({
      method: 'POST',
      url: '/api/screener',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ x: 'y'.repeat(100_000) }),
    });
    expect(screener.statusCode).toBe(413);
  });

  it('rate-limits the public screener per address before parsing its body', async () => {
    let limited = 0;
    for (let i = 0; i < 70; i++) {
      const res = await api.app.inject({
        method: 'POST',
        url: '/api/screener',
        remoteAddress: '10.9.8.7',
        headers: { 'content-type': 'application/json' },
        payload: '{"not json',
      });
      if (res.statusCode === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
  });

  it('sends security headers, and no-store on every API answer', async () => {
    const res = await api.call('district', 'GET', '/api/residents');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(String(res.headers['content-security-policy'])).toMatch(/default-src 'self'/);
    expect(String(res.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
  });

  it('refuses state-changing requests from another origin, whatever their content type', async () => {
    const session = (
      await api.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'district', password: 'correct horse battery' },
      })
    ).cookies.find((c) => c.name === 'tj_session')!.value;
    const headers = { cookie: `tj_session=${session}`, origin: 'http://evil.example', 'content-type': 'text/plain' };
    const res = await api.app.inject({ method: 'POST', url: '/api/local-policies', headers, payload: 'code: X' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('TJ_CROSS_ORIGIN');
    const site = await api.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: `tj_session=${session}`, 'sec-fetch-site': 'cross-site' },
    });
    expect(site.statusCode).toBe(403);
    // The same origin, and a client without Origin (the command line, curl), go through.
    const same = await api.app.inject({
      method: 'POST',
      url: '/api/selections/query',
      headers: { cookie: `tj_session=${session}`, origin: 'http://localhost:80', host: 'localhost:80' },
      payload: { expression: '独居老人' },
    });
    expect(same.statusCode).not.toBe(403);
  });

  it('serves the API documentation only after login', async () => {
    const anonymous = await api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(anonymous.statusCode).toBe(401);
    const signedIn = await api.call('district', 'GET', '/docs/json');
    expect(signedIn.statusCode).toBe(200);
  });

  it('audits list reads, and refused and out-of-area attempts', async () => {
    expect((await api.call('huayang', 'GET', '/api/residents?pageSize=5')).statusCode).toBe(200);
    // 罗佳嘉 lives in 新泾镇: for 华阳路's worker, nobody.
    expect((await api.call('huayang', 'GET', '/api/residents/31011219970724061X')).statusCode).toBe(404);
    expect((await api.call('huayang', 'GET', '/api/users')).statusCode).toBe(403);
    const trail = await api.services.audit.recent(20, 'huayang');
    expect(trail.find((a) => a.action === 'residents.list')?.detail).toMatch(/"ids":\["\d{17}[\dX]"/);
    const denied = trail.filter((a) => a.action === 'access.denied').map((a) => JSON.parse(a.detail).code);
    expect(denied).toEqual(expect.arrayContaining(['TJ_RESIDENT_NOT_FOUND', 'TJ_FORBIDDEN']));
  });

  it('writes a 500 to the server log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const services = await freshServices('sqlite');
    const app = await buildApp({ services, webDist: null, logger: { level: 'error', stream } });
    app.get('/api/boom', { config: { public: true } }, async () => {
      throw new Error('kaboom');
    });
    const res = await app.inject({ method: 'GET', url: '/api/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.message).not.toMatch(/kaboom/);
    expect(lines.join('')).toMatch(/kaboom/);
    await app.close();
    await services.database.close();
  });
});
