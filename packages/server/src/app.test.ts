import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { DIALECTS, SAMPLE_DIR, SAMPLE_XLSX, freshServices } from './test/helpers.ts';
import type { Services } from './services.ts';
import { systemScope } from './modules/auth/scope.ts';
import { openSource } from './modules/import/sources.ts';

const PASSWORD = 'correct horse battery';

async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'tj_session');
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Strict');
  return `tj_session=${cookie!.value}`;
}

function multipart(filename: string, content: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----tingjian' + Math.random().toString(16).slice(2);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

for (const dialect of DIALECTS) {
  describe(`HTTP API (${dialect})`, () => {
    let services: Services;
    let app: FastifyInstance;
    // 华阳路街道 (310105001): H0000003 lives in 310105001014. 江苏路街道 (310105002): H0000004.
    let inHuayang: { id_number: string; name: string; name_initials: string };
    let inJiangsu: { id_number: string; name: string };

    beforeAll(async () => {
      services = await freshServices(dialect);
      await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      const sys = systemScope();
      await services.auth.createUser(sys, {
        username: 'district',
        displayName: '长宁区民政局',
        password: PASSWORD,
        role: 'district',
        orgCode: '310105',
      });
      await services.auth.createUser(sys, {
        username: 'huayang',
        displayName: '华阳路街道',
        password: PASSWORD,
        role: 'street',
        orgCode: '310105001',
      });
      await services.auth.createUser(sys, {
        username: 'adviser1',
        displayName: '顾问',
        password: PASSWORD,
        role: 'adviser',
        orgCode: '310105001014',
      });
      const db = services.database.db;
      inHuayang = await db
        .selectFrom('resident')
        .select(['id_number', 'name', 'name_initials'])
        .where('household_id', '=', 'H0000003')
        .orderBy('id_number')
        .executeTakeFirstOrThrow();
      inJiangsu = await db
        .selectFrom('resident')
        .select(['id_number', 'name'])
        .where('household_id', '=', 'H0000004')
        .orderBy('id_number')
        .executeTakeFirstOrThrow();
      app = await buildApp({ services });
    });
    afterAll(async () => {
      await app.close();
      await services.database.close();
    });

    it('refuses requests without a session and bad passwords', async () => {
      expect((await app.inject({ url: '/api/residents?q=zhang' })).json().error.code).toBe('TJ_UNAUTHENTICATED');
      const bad = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'huayang', password: 'wrong password' },
      });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error.code).toBe('TJ_BAD_CREDENTIALS');
    });

    it('validates parameters with a clear error naming the place', async () => {
      const cookie = await login(app, 'huayang');
      const res = await app.inject({ url: '/api/residents?limit=5000', headers: { cookie } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('TJ_VALIDATION');
      expect(res.json().error.message).toContain('limit');
      const badId = await app.inject({ url: '/api/residents/12345', headers: { cookie } });
      expect(badId.statusCode).toBe(400);
    });

    it('finds a resident of the street by name, pinyin initials and id number, with masked ids', async () => {
      const cookie = await login(app, 'huayang');
      for (const q of [inHuayang.name, inHuayang.name_initials, inHuayang.id_number.slice(0, 10)]) {
        const res = await app.inject({
          url: `/api/residents?q=${encodeURIComponent(q)}&limit=200`,
          headers: { cookie },
        });
        expect(res.statusCode).toBe(200);
        const items = res.json().items as Array<{ ref: string; idNumberMasked: string; phoneMasked: string }>;
        const hit = items.find((i) => services.refs.open(i.ref) === inHuayang.id_number);
        expect(hit, `search ${q}`).toBeDefined();
        expect(hit!.idNumberMasked).toMatch(/^\d{6}\*{11}[\dX]$/);
        expect(hit!.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
        expect(items.every((i) => i.ref.startsWith('r.') && !('idNumber' in i))).toBe(true);
      }
    });

    it("never shows another street's resident: not by search, not by URL", async () => {
      const cookie = await login(app, 'huayang');
      const byName = await app.inject({
        url: `/api/residents?q=${encodeURIComponent(inJiangsu.id_number)}`,
        headers: { cookie },
      });
      expect(byName.json().items).toEqual([]);
      const byUrl = await app.inject({ url: `/api/residents/${inJiangsu.id_number}`, headers: { cookie } });
      expect(byUrl.statusCode).toBe(404);
      expect(byUrl.json().error.code).toBe('TJ_RESIDENT_NOT_FOUND');
      const household = await app.inject({ url: '/api/households/H0000004', headers: { cookie } });
      expect(household.statusCode).toBe(404);
      const all = await app.inject({ url: '/api/residents?limit=200', headers: { cookie } });
      expect(
        (all.json().items as Array<{ committeeCode: string }>).every((i) => i.committeeCode.startsWith('310105001')),
      ).toBe(true);
      // The district sees both.
      const district = await login(app, 'district');
      expect(
        (await app.inject({ url: `/api/residents/${inJiangsu.id_number}`, headers: { cookie: district } })).statusCode,
      ).toBe(200);
    });

    it('serves the 360 view and audits the read', async () => {
      const cookie = await login(app, 'adviser1');
      const res = await app.inject({ url: `/api/residents/${inHuayang.id_number}`, headers: { cookie } });
      expect(res.statusCode, res.body).toBe(200);
      const view = res.json();
      expect(view.person.id_number).toBe(inHuayang.id_number);
      expect(view.person.orgPath.map((u: { level: string }) => u.level)).toEqual([
        'city',
        'district',
        'street',
        'committee',
      ]);
      expect(view.members.some((m: { isSelf: boolean }) => m.isSelf)).toBe(true);
      expect(view.person.createdBy.source).toBe('changning-small');
      const audit = await services.audit.recent(5, 'adviser1');
      expect(audit.some((a) => a.action === 'resident.view' && a.target === `resident:${inHuayang.id_number}`)).toBe(
        true,
      );
    });

    it('shows relatives outside the registry and in another area without linking them', async () => {
      const cookie = await login(app, 'district');
      const view = (await app.inject({ url: '/api/residents/340104199208304418', headers: { cookie } })).json();
      expect(view.relations).toEqual([
        expect.objectContaining({
          relativeName: '杨一丽',
          relation: '父母',
          inRegistry: true,
          relativeRef: services.refs.ref('510104196809226724'),
        }),
      ]);
    });

    it("gives the org tree of the user's area only", async () => {
      const cookie = await login(app, 'huayang');
      const tree = (await app.inject({ url: '/api/org/tree', headers: { cookie } })).json();
      expect(tree.code).toBe('310105001');
      expect(tree.children.length).toBeGreaterThan(5);
      expect(tree.children.every((c: { code: string }) => c.code.startsWith('310105001'))).toBe(true);
      const district = (
        await app.inject({ url: '/api/org/tree', headers: { cookie: await login(app, 'district') } })
      ).json();
      expect(district.children).toHaveLength(10);
      expect(district.children.reduce((n: number, s: { children: unknown[] }) => n + s.children.length, 0)).toBe(189);
    });

    it('imports an uploaded workbook and returns the same rejection report', async () => {
      const cookie = await login(app, 'district');
      const { payload, headers } = multipart('changning-small.xlsx', readFileSync(SAMPLE_XLSX));
      const res = await app.inject({ method: 'POST', url: '/api/imports', payload, headers: { ...headers, cookie } });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.rejectedRows).toBe(11);
      expect(body.tables.residents).toMatchObject({ unchanged: 1033, inserted: 0 });
      expect(body.reportCsv).toContain('residents.csv,1044,id_number,');
    });

    it('lets only district admins manage users, within their area', async () => {
      const street = await login(app, 'huayang');
      expect((await app.inject({ url: '/api/users', headers: { cookie: street } })).statusCode).toBe(403);
      const district = await login(app, 'district');
      const created = await app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: district },
        payload: {
          username: 'xinjing2',
          displayName: '新泾镇',
          password: PASSWORD,
          role: 'street',
          orgCode: '310105102',
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const wrongLevel = await app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: district },
        payload: { username: 'x3', displayName: 'x', password: PASSWORD, role: 'street', orgCode: '310105102001' },
      });
      expect(wrongLevel.statusCode).toBe(400);
      const list = (await app.inject({ url: '/api/users', headers: { cookie: district } })).json();
      expect(list.items.map((u: { username: string }) => u.username)).toContain('xinjing2');
    });

    it('logs out', async () => {
      const cookie = await login(app, 'huayang');
      await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
      expect((await app.inject({ url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
    });

    it('rate-limits repeated logins', async () => {
      let last = 0;
      for (let i = 0; i < 12; i++) {
        last = (
          await app.inject({
            method: 'POST',
            url: '/api/session',
            payload: { username: 'ratelimited', password: 'nope nope' },
          })
        ).statusCode;
      }
      expect(last).toBe(429);
    });

    it('publishes the OpenAPI document', async () => {
      const res = await app.inject({ url: '/docs/json', headers: { cookie: await login(app, 'district') } });
      expect(res.statusCode).toBe(200);
      expect(Object.keys(res.json().paths)).toEqual(
        expect.arrayContaining(['/api/session', '/api/residents', '/api/residents/{idNumber}', '/api/imports']),
      );
    });
  });
}

describe('HTTP import of a zipped CSV folder', () => {
  it('unpacks the folder (nested in the archive) and returns the same report', async () => {
    const yazl = (await import('yazl')).default;
    const { readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const zip = new yazl.ZipFile();
    for (const f of readdirSync(SAMPLE_DIR)) zip.addFile(join(SAMPLE_DIR, f), `changning-small/${f}`);
    zip.addBuffer(Buffer.from('ignored'), 'changning-small/README.txt');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const services = await freshServices('sqlite');
    const app = await buildApp({ services });
    await services.auth.createUser(systemScope(), {
      username: 'district',
      displayName: '区',
      password: PASSWORD,
      role: 'district',
      orgCode: '310105',
    });
    const cookie = await login(app, 'district');
    const { payload, headers } = multipart('snapshot.zip', Buffer.concat(chunks));
    const res = await app.inject({ method: 'POST', url: '/api/imports', payload, headers: { ...headers, cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().tables.residents).toMatchObject({ inserted: 1033 });
    expect(res.json().rejectedRows).toBe(11);
    const bad = multipart('notes.txt', Buffer.from('hello'));
    const rejected = await app.inject({
      method: 'POST',
      url: '/api/imports',
      payload: bad.payload,
      headers: { ...bad.headers, cookie },
    });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().error.code).toBe('TJ_IMPORT_BAD_FILE');
    await app.close();
    await services.database.close();
  });
});
