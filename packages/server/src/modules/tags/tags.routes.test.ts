import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import { maskIdNumber } from '@tingjian/engine';
import { DIALECTS, SAMPLE_DIR, freshServices } from '../../test/helpers.ts';
import { sampleTerms, type SamplePerson } from '../../test/sample-reference.ts';
import { createServices, type Services } from '../../services.ts';
import { systemScope } from '../auth/scope.ts';
import { openSource } from '../import/sources.ts';

const PASSWORD = 'correct horse battery';
const D = '2026-11-28';

async function login(app: FastifyInstance, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password: PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return `tj_session=${res.cookies.find((c) => c.name === 'tj_session')!.value}`;
}

for (const dialect of DIALECTS) {
  describe(`tags and crowd selection (${dialect})`, () => {
    let services: Services;
    let app: FastifyInstance;
    const cookies: Record<string, string> = {};
    const ref = sampleTerms(D);
    const call = async (user: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
      app.inject({
        method,
        url,
        headers: { cookie: cookies[user]! },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    /** The expected selection, evaluated plainly per person from the CSV files. */
    const expected = (pred: (p: SamplePerson) => boolean, scope = '') =>
      ref.alive
        .filter((p) => p.committee.startsWith(scope) && pred(p))
        .map((p) => p.id)
        .sort();

    beforeAll(async () => {
      services = await freshServices(dialect);
      await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      const sys = systemScope();
      await services.auth.createUser(sys, {
        username: 'district',
        displayName: '长宁区',
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
        username: 'jiangsu',
        displayName: '江苏路街道',
        password: PASSWORD,
        role: 'street',
        orgCode: '310105002',
      });
      await services.auth.createUser(sys, {
        username: 'adviser1',
        displayName: '顾问',
        password: PASSWORD,
        role: 'adviser',
        orgCode: '310105001014',
      });
      app = await buildApp({ services, webDist: null });
      for (const u of ['district', 'huayang', 'jiangsu', 'adviser1']) cookies[u] = await login(app, u);
    });
    afterAll(async () => {
      await app.close();
      await services.database.close();
    });

    it("shows each user the tags of their unit and above, never a sibling's or a lower level's", async () => {
      const street = (await call('huayang', 'GET', `/api/tags?asOf=${D}`)).json();
      expect(street.levels.map((l: { code: string }) => l.code)).toEqual(['3101', '310105', '310105001']);
      const streetTags = street.levels[2].tags.map((t: { code: string }) => t.code);
      expect(streetTags).toEqual(['退役军人', '独居老人', '高龄老人', '0-3岁儿童']);
      expect(street.levels[2].tags.every((t: { editable: boolean }) => t.editable)).toBe(true);
      expect(street.levels[1].tags.every((t: { editable: boolean }) => !t.editable)).toBe(true);
      const district = (await call('district', 'GET', `/api/tags?asOf=${D}`)).json();
      expect(district.levels.map((l: { code: string }) => l.code)).toEqual(['3101', '310105']);
      // Counts are the caller's area only.
      const lone = street.levels[2].tags.find((t: { code: string }) => t.code === '独居老人');
      expect(lone.count).toBe(expected((p) => ref.carries(p, '独居老人'), '310105001').length);
      // A sibling street's copy is invisible by id too.
      const jiangsuTags = (await call('jiangsu', 'GET', `/api/tags?asOf=${D}`)).json();
      const theirs = jiangsuTags.levels[2].tags[0].id;
      expect((await call('huayang', 'GET', `/api/tags/${theirs}`)).json().error.code).toBe('TJ_TAG_NOT_FOUND');
    });

    it("selects exactly the residents the spec's definitions give, within the caller's area", async () => {
      const cases: Array<[string, (p: SamplePerson) => boolean]> = [
        ['独居老人 AND NOT 特困', (p) => ref.carries(p, '独居老人') && !ref.carries(p, '特困')],
        [
          '高龄老人 AND (大病 OR 重残)',
          (p) => ref.carries(p, '高龄老人') && (ref.carries(p, '大病') || ref.carries(p, '重残')),
        ],
        [
          '低保 OR 低收入 OR 困境儿童',
          (p) => ref.carries(p, '低保') || ref.carries(p, '低收入') || ref.carries(p, '困境儿童'),
        ],
        ['NOT 0-3岁儿童 AND 志愿者', (p) => !ref.carries(p, '0-3岁儿童') && ref.carries(p, '志愿者')],
      ];
      for (const [expression, pred] of cases) {
        const res = await call('huayang', 'POST', '/api/selections/query', { expression, asOf: D, limit: 500 });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        const want = expected(pred, '310105001');
        expect(
          body.rows.map((r: { ref: string }) => services.refs.open(r.ref)),
          expression,
        ).toEqual(want);
        expect(body.count).toBe(want.length);
        const count = (await call('huayang', 'POST', '/api/selections/count', { expression, asOf: D })).json();
        expect(count.count).toBe(want.length);
        expect(count.byArea.reduce((s: number, a: { count: number }) => s + a.count, 0)).toBe(want.length);
      }
      expect(expected((p) => ref.carries(p, '独居老人'), '310105001').length).toBeGreaterThan(0);
    });

    it('ranks multi-tag residents first, then by id number', async () => {
      const rank = ['高龄老人', '大病', '重残', '独居老人'];
      const body = (
        await call('huayang', 'POST', '/api/selections/query', {
          expression: '高龄老人 OR 大病 OR 重残 OR 独居老人',
          rank,
          asOf: D,
          limit: 500,
        })
      ).json();
      const score = (p: SamplePerson) => rank.filter((c) => ref.carries(p, c)).length;
      const want = ref.alive
        .filter((p) => p.committee.startsWith('310105001') && score(p) > 0)
        .sort((a, b) => score(b) - score(a) || (a.id < b.id ? -1 : 1))
        .map((p) => [p.id, score(p)]);
      expect(body.rows.map((r: { ref: string; rank: number }) => [services.refs.open(r.ref), r.rank])).toEqual(want);
      expect(body.byRank[0]).toBe(0);
      expect(body.rows[0].rankTags.length).toBe(body.rows[0].rank);
    });

    it('names the position of a syntax error or an unknown tag, instead of an empty result', async () => {
      const bad = (
        await call('huayang', 'POST', '/api/selections/count', { expression: '独居老人 AND (重残 OR' })
      ).json();
      expect(bad.error.code).toBe('TJ_SELECTION_INVALID');
      expect(bad.error.message).toMatch(/第 16 个字符处/);
      const unknown = (
        await call('district', 'POST', '/api/selections/count', { expression: '重残 AND 独居老人' })
      ).json();
      expect(unknown.error.message).toMatch(/第 8 个字符处：未知标签 “独居老人”/);
      expect(unknown.error.details).toMatchObject({ start: 7, column: 8 });
    });

    it("lets a street add its own rule tag, refuses clashes, bad rules and other levels' tags", async () => {
      const created = await call('huayang', 'POST', '/api/tags', {
        code: '低收入独居',
        category: '救助类',
        source: 'rule',
        description: '独居且收入低',
        rule: 'household.size == 1 && income < 2000',
      });
      expect(created.statusCode, created.body).toBe(201);
      const tag = created.json();
      expect(tag.ownerCode).toBe('310105001');
      const detail = (await call('huayang', 'GET', `/api/tags/${tag.id}?asOf=${D}`)).json();
      const want = ref.alive.filter(
        (p) =>
          p.committee.startsWith('310105001') &&
          ref.alive.filter((q) => q.household === p.household).length === 1 &&
          Number(p.row.monthly_income_yuan || 0) < 2000,
      );
      expect(detail.count).toBe(want.length);
      expect(detail.byArea.reduce((s: number, a: { count: number }) => s + a.count, 0)).toBe(want.length);
      // Usable in a selection at once.
      expect((await call('huayang', 'POST', '/api/selections/count', { expression: '低收入独居' })).json().count).toBe(
        detail.count,
      );
      expect(
        (
          await call('huayang', 'POST', '/api/tags', {
            code: '独居老人',
            category: '身份类',
            source: 'manual',
            description: 'x',
          })
        ).json().error.code,
      ).toBe('TJ_TAG_CODE_TAKEN');
      const badRule = (
        await call('huayang', 'POST', '/api/tags', {
          code: '新标签',
          category: '身份类',
          source: 'rule',
          description: 'x',
          rule: 'agee >= 60',
        })
      ).json();
      expect(badRule.error.code).toBe('TJ_RULE_INVALID');
      expect(badRule.error.message).toMatch(/第 1 个字符处：未知的事实或参数 “agee”/);
      const districtTag = (await call('huayang', 'GET', '/api/tags')).json().levels[1].tags[0];
      expect(
        (await call('huayang', 'PATCH', `/api/tags/${districtTag.id}`, { description: '改' })).json().error.code,
      ).toBe('TJ_TAG_NOT_EDITABLE');
      expect(
        (
          await call('adviser1', 'POST', '/api/tags', {
            code: '顾问标签',
            category: '身份类',
            source: 'manual',
            description: 'x',
          })
        ).statusCode,
      ).toBe(403);
      // Editing the rule re-evaluates the tag.
      const patched = (
        await call('huayang', 'PATCH', `/api/tags/${tag.id}`, { rule: 'household.size == 1 && income < 0' })
      ).json();
      expect(patched.count).toBe(0);
      expect((await call('huayang', 'DELETE', `/api/tags/${tag.id}`)).statusCode).toBe(200);
      expect(
        (await call('huayang', 'POST', '/api/selections/count', { expression: '低收入独居' })).json().error.code,
      ).toBe('TJ_SELECTION_INVALID');
    });

    it('tags residents by hand and in bulk, with provenance and audit, only inside the area', async () => {
      const dict = (await call('huayang', 'GET', '/api/tags')).json();
      const social = dict.levels[1].tags.find((t: { code: string }) => t.code === '社会帮扶');
      const before = (await call('huayang', 'POST', '/api/selections/count', { expression: '社会帮扶' })).json().count;
      const mine = expected((p) => ref.carries(p, '独居老人') && ref.carries(p, '高龄老人'), '310105001');
      const outside = ref.alive.find((p) => p.committee.startsWith('310105002'))!.id;
      const bulk = (
        await call('huayang', 'POST', `/api/tags/${social.id}/assignments`, {
          selection: { expression: '独居老人 AND 高龄老人' },
          reason: '慈善超市结对',
          evidence: '结对协议 2026-11',
        })
      ).json();
      expect(bulk.assigned).toBe(mine.length);
      const one = (
        await call('huayang', 'POST', `/api/tags/${social.id}/assignments`, {
          idNumbers: [outside, mine[0]],
          reason: '补录',
        })
      ).json();
      expect(one).toEqual({
        assigned: 0,
        skipped: [
          {
            ref: services.refs.ref(outside),
            idNumberMasked: maskIdNumber(outside),
            reason: '在您的辖区内找不到该居民',
          },
          { ref: services.refs.ref(mine[0]!), idNumberMasked: maskIdNumber(mine[0]!), reason: '已有此标签' },
        ],
      });
      expect((await call('huayang', 'POST', '/api/selections/count', { expression: '社会帮扶' })).json().count).toBe(
        before + mine.length,
      );
      const tagsOf = (await call('huayang', 'GET', `/api/residents/${mine[0]}/tags`)).json();
      const manual = tagsOf.tags.find((t: { code: string }) => t.code === '社会帮扶');
      expect(manual.assignment).toMatchObject({
        reason: '慈善超市结对',
        evidence: '结对协议 2026-11',
        assignedBy: 'huayang',
      });
      const audit = await services.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'tag.assign')
        .execute();
      expect(audit).toHaveLength(1);
      const history = await services.database.db
        .selectFrom('change_log')
        .selectAll()
        .where('id_number', '=', mine[0]!)
        .where('entity', '=', 'tag_assignment')
        .execute();
      expect(history).toHaveLength(1);
      // The 360 view shows it in the resident's history (the change as a before/after pair).
      const view = await call('huayang', 'GET', `/api/residents/${mine[0]}`);
      expect(view.statusCode, view.body).toBe(200);
      expect(
        view
          .json()
          .history.some(
            (h: { changes: Record<string, unknown> }) =>
              JSON.stringify(h.changes['标签']) === JSON.stringify([null, '社会帮扶']),
          ),
      ).toBe(true);
      expect((await call('jiangsu', 'GET', `/api/residents/${mine[0]}/tags`)).json().error.code).toBe(
        'TJ_RESIDENT_NOT_FOUND',
      );
      expect((await call('huayang', 'DELETE', `/api/tags/${social.id}/assignments/${mine[0]}`)).statusCode).toBe(200);
      expect((await call('huayang', 'POST', '/api/selections/count', { expression: '社会帮扶' })).json().count).toBe(
        before + mine.length - 1,
      );
      const imported = dict.levels[0].tags.find((t: { code: string }) => t.code === '低保');
      expect(
        (
          await call('huayang', 'POST', `/api/tags/${imported.id}/assignments`, { idNumbers: [mine[0]], reason: 'x' })
        ).json().error.code,
      ).toBe('TJ_TAG_NOT_MANUAL');
    });

    it('follows the calendar: 高龄老人 from the 80th birthday on', async () => {
      const nearly = ref.alive
        .filter((p) => p.committee.startsWith('310105001'))
        .find((p) => Number(p.birth.slice(0, 4)) <= 1946)!;
      const birthday = `${Number(nearly.birth.slice(0, 4)) + 80}${nearly.birth.slice(4)}`;
      const dayBefore = new Date(Date.parse(`${birthday}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const has = async (asOf: string) =>
        (await call('huayang', 'GET', `/api/residents/${nearly.id}/tags?asOf=${asOf}`))
          .json()
          .tags.some((t: { code: string }) => t.code === '高龄老人');
      expect(await has(dayBefore)).toBe(false);
      expect(await has(birthday)).toBe(true);
    });

    it('follows data changes at once: an imported disability record makes 重残 true', async () => {
      const woman = ref.alive.find(
        (p) => p.committee.startsWith('310105001') && !ref.carries(p, '重残') && p.row.gender === '女',
      )!;
      const before = (await call('huayang', 'POST', '/api/selections/count', { expression: '重残' })).json().count;
      const dir = mkdtempSync(join(tmpdir(), 'tingjian-change-'));
      const header = Object.keys(woman.row);
      const changed: Record<string, string> = { ...woman.row, disability_grade: '1', disability_category: '肢体' };
      writeFileSync(join(dir, 'residents.csv'), `${header.join(',')}\n${header.map((h) => changed[h]).join(',')}\n`);
      await services.imports.importSnapshot(systemScope(), await openSource(dir));
      expect((await call('huayang', 'POST', '/api/selections/count', { expression: '重残' })).json().count).toBe(
        before + 1,
      );
      expect(
        (await call('huayang', 'GET', `/api/residents/${woman.id}/tags`))
          .json()
          .tags.map((t: { code: string }) => t.code),
      ).toContain('重残');
    });

    it('a stored rule tag that fails counts nothing and says why; the rest of the dictionary works, across a restart', async () => {
      // Rows as an older release (or a hand edit) wrote them: nested past the cap, and a rule that no longer checks.
      const at = '2025-06-01T00:00:00.000Z';
      const row = (code: string, rule: string) => ({
        code,
        category: '身份类',
        source: 'rule',
        owner_code: '310105001',
        description: `${code} 的说明`,
        owner_name: null,
        rule,
        created_by: 'huayang',
        created_at: at,
        updated_by: 'huayang',
        updated_at: at,
      });
      await services.database.db
        .insertInto('tag')
        .values([row('旧深规则', `${'('.repeat(950)}age >= 60${')'.repeat(950)}`), row('旧错规则', 'agee >= 60')])
        .execute();
      const before = (await call('huayang', 'POST', '/api/selections/count', { expression: '独居老人' })).json().count;
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const restarted = await createServices(services.database, { TINGJIAN_COUNTY: '310105' });
        const app2 = await buildApp({ services: restarted, webDist: null });
        try {
          const cookie = await login(app2, 'huayang');
          const get = (url: string, payload?: unknown) =>
            app2.inject({
              method: payload ? 'POST' : 'GET',
              url,
              headers: { cookie },
              ...(payload ? { payload: payload as object } : {}),
            });
          const dict = await get(`/api/tags?asOf=${D}`);
          expect(dict.statusCode, dict.body).toBe(200);
          const tags = dict.json().levels.flatMap((l: { tags: unknown[] }) => l.tags) as Array<{
            code: string;
            count: number;
            broken?: string | null;
          }>;
          const byCode = new Map(tags.map((t) => [t.code, t]));
          expect(byCode.get('旧深规则')).toMatchObject({
            count: 0,
            broken: expect.stringMatching(/^规则无法使用，该标签暂不计人数：第 65 个字符处：嵌套超过 64 层/),
          });
          expect(byCode.get('旧错规则')).toMatchObject({
            count: 0,
            broken: expect.stringMatching(/未知的事实或参数 “agee”/),
          });
          expect(byCode.get('独居老人')).toMatchObject({ broken: null });
          expect((await get('/api/selections/count', { expression: '独居老人' })).json().count).toBe(before);
          expect((await get('/api/selections/count', { expression: '独居老人 OR 旧深规则' })).json().count).toBe(
            before,
          );
          expect(logged.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
            /标签 旧深规则（310105001）的规则无法使用/,
          );
        } finally {
          await app2.close();
        }
      } finally {
        logged.mockRestore();
        await services.database.db.deleteFrom('tag').where('code', 'in', ['旧深规则', '旧错规则']).execute();
      }
    });

    it('saves selections per unit and exports results', async () => {
      const saved = (
        await call('huayang', 'POST', '/api/selections/saved', {
          name: '独居非特困',
          expression: '独居老人  and not 特困',
          rank: ['高龄老人'],
        })
      ).json();
      expect(saved.expression).toBe('独居老人 AND NOT 特困');
      expect((await call('huayang', 'GET', '/api/selections/saved')).json().items).toHaveLength(1);
      expect((await call('jiangsu', 'GET', '/api/selections/saved')).json().items).toHaveLength(0);
      expect((await call('jiangsu', 'DELETE', `/api/selections/saved/${saved.id}`)).statusCode).toBe(404);
      const xlsx = await call('huayang', 'POST', '/api/selections/export.xlsx', {
        expression: '独居老人',
        rank: ['高龄老人'],
      });
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
      expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    });
  });
}
