/**
 * Lists carry no full id numbers (security issue 13, item 7): every answer that lists residents
 * names them by ref and masked id; the ref of a row opens the person everywhere an id number
 * does; a ref that does not open, or one of another street's resident, is answered exactly as an
 * unknown id number is. The GET routes come from the OpenAPI document, so a new list is looked at too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { residentRefs } from './modules/registry/resident-ref.ts';
import { DIALECTS, sampleApi, type Method, type SampleApi } from './test/helpers.ts';

/** An 18-character id number anywhere in a body; not the digits of a decimal fraction (0.047619047619047616). */
const FULL_ID = /(?<![\d.])\d{17}[\dXx](?!\d)/g;
const HUAYANG = '310105001';
/** Routes whose answers carry full id numbers by design, each for a reason: */
const NOT_LISTS = new Map([
  ['/api/audit', 'the audit trail, for district admins: its targets are resident:<id number>'],
  ['/api/imports/{runId}/report.csv', 'the rejection report of an import: the cells of the file that was imported'],
]);
/** Binary spreadsheets: masked by construction (registry.export.ts), tested there. */
const BINARY = /\.xlsx$/;

/** Changes one character in the middle of a ref: still ref-shaped, no longer this database's. */
const tamper = (ref: string) => `${ref.slice(0, 20)}${ref[20] === 'A' ? 'B' : 'A'}${ref.slice(21)}`;

for (const dialect of DIALECTS) {
  describe(`residents by ref, never by full id number in lists (${dialect})`, () => {
    let api: SampleApi;
    /** A resident of 华阳路街道 with household members and a relative in the registry, in the area. */
    let person: { id: string; household: string };
    let manualTag: number;
    let other: string;
    const full = (text: string) => [...new Set(text.match(FULL_ID) ?? [])];

    beforeAll(async () => {
      api = await sampleApi(dialect, [
        { username: 'district', role: 'district', orgCode: '310105' },
        { username: 'huayang', role: 'street', orgCode: HUAYANG },
        { username: 'jiangsu', role: 'street', orgCode: '310105002' },
      ]);
      const db = api.services.database.db;
      const rows = await db
        .selectFrom('resident as r')
        .innerJoin('relation as l', 'l.id_number', 'r.id_number')
        .innerJoin('resident as k', 'k.id_number', 'l.relative_id_number')
        .select(['r.id_number', 'r.household_id'])
        .where('r.committee_code', 'like', `${HUAYANG}%`)
        .where('k.committee_code', 'like', `${HUAYANG}%`)
        .orderBy('r.id_number')
        .execute();
      const sizes = new Map(
        (
          await db
            .selectFrom('resident')
            .select(['household_id', (eb) => eb.fn.countAll<number>().as('n')])
            .groupBy('household_id')
            .execute()
        ).map((r) => [r.household_id, Number(r.n)]),
      );
      const pick = rows.find((r) => (sizes.get(r.household_id) ?? 0) > 1) ?? rows[0]!;
      person = { id: pick.id_number, household: pick.household_id };
      other = (
        await db
          .selectFrom('resident')
          .select('id_number')
          .where('committee_code', 'like', '310105002%')
          .orderBy('id_number')
          .executeTakeFirstOrThrow()
      ).id_number;
      const made = await api.call('huayang', 'POST', '/api/tags', {
        code: '引用测试',
        category: '自治类',
        source: 'manual',
        description: '按引用标注',
      });
      expect(made.statusCode, made.body).toBe(201);
      manualTag = (made.json() as { id: number }).id;
    }, 120_000);
    afterAll(async () => api.close());

    it('gives no full id number in any list, to a district admin or a street worker', async () => {
      const ref = api.services.refs.ref(person.id);
      const doc = (await api.call('district', 'GET', '/docs/json')).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const gets = Object.entries(doc.paths)
        .filter(([path, methods]) => 'get' in methods && !NOT_LISTS.has(path) && !BINARY.test(path))
        .map(([path]) => path);
      expect(gets.length).toBeGreaterThan(25);
      const fill: Record<string, string> = {
        idNumber: ref,
        householdId: person.household,
        id: String(manualTag),
        code: 'NONE',
        version: '1',
        username: 'huayang',
        runId: '1',
      };
      const posts: Array<[string, unknown]> = [
        // District tags: a district admin sees the city's and the district's (a street's own tags are the street's).
        ['/api/selections/query', { expression: '低保 OR 大病 OR 重残', limit: 500 }],
        ['/api/selections/query', { expression: '低保 OR 大病', rank: ['低保', '大病'], limit: 500 }],
        ['/api/selections/count', { expression: '大病' }],
        [
          '/api/policies/simulate',
          { parameters: [{ name: 'LIBAO', values: [{ from: '2020-01-01', value: 2000, source: '试算' }] }] },
        ],
      ];
      const seen: Record<string, number> = {};
      for (const user of ['district', 'huayang']) {
        const requests: Array<[Method, string, unknown]> = [
          ...gets.map((path): [Method, string, unknown] => [
            'GET',
            `${path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(fill[name] ?? name))}?limit=200`,
            undefined,
          ]),
          // A search, the other kind of findings, a sort: other paths through the same lists.
          ['GET', `/api/residents?q=${encodeURIComponent(person.id.slice(0, 8))}&limit=200`, undefined],
          ['GET', '/api/residents?sort=id_number&order=desc&limit=200', undefined],
          ['GET', '/api/leads?kind=review&limit=200', undefined],
          ...posts.map(([url, body]): [Method, string, unknown] => ['POST', url, body]),
          // Skipped residents of a bulk assignment (everyone of the selection is, the second time).
          [
            'POST',
            `/api/tags/${manualTag}/assignments`,
            { selection: { expression: '大病 OR 低保' }, reason: '引用测试' },
          ],
          [
            'POST',
            `/api/tags/${manualTag}/assignments`,
            { selection: { expression: '大病 OR 低保' }, reason: '引用测试' },
          ],
        ];
        for (const [method, url, body] of requests) {
          const res = await api.call(user, method, url, body);
          expect(res.statusCode, `${user} ${method} ${url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
          const found = full(res.body);
          // The 360 view names its own person in full (an audited read), nobody else.
          const allowed = url.startsWith(`/api/residents/${encodeURIComponent(ref)}?`) ? [person.id] : [];
          expect(
            found.filter((x) => !allowed.includes(x)),
            `${user} ${method} ${url}`,
          ).toEqual([]);
          const key = `${user} ${method} ${url.split('?')[0]}`;
          if (res.statusCode === 200) seen[key] = (seen[key] ?? 0) + (res.body.match(/"r\.[\w-]+"/g)?.length ?? 0);
        }
      }
      // The lists were there and full of residents (by ref): the test looked at something.
      const lists = [
        'GET /api/residents',
        'GET /api/leads',
        'POST /api/selections/query',
        `GET /api/households/${person.household}`,
        `GET /api/residents/${ref}`,
      ];
      // (The questionnaire's members by ref: framework.routes.test.ts, on a household with questions to members.)
      for (const route of [
        ...lists.flatMap((r) => [`district ${r}`, `huayang ${r}`]),
        `huayang POST /api/tags/${manualTag}/assignments`,
      ]) {
        expect(seen[route] ?? 0, `${route} in ${JSON.stringify(seen)}`).toBeGreaterThan(1);
      }
    }, 300_000);

    it('lists rows whose refs open the 360 view, tags and eligibility, and act on leads and tags', async () => {
      const list = (await api.call('huayang', 'GET', `/api/residents?q=${person.id}`)).json() as {
        items: Array<{ ref: string; idNumberMasked: string }>;
      };
      expect(list.items).toHaveLength(1);
      const row = list.items[0]!;
      expect(row).not.toHaveProperty('idNumber');
      expect(row.idNumberMasked).toBe(`${person.id.slice(0, 6)}***********${person.id.slice(-1)}`);
      // The 360 view by ref: the person in full, with their ref, members and relatives by ref.
      const view = await api.call('huayang', 'GET', `/api/residents/${row.ref}`);
      expect(view.statusCode, view.body).toBe(200);
      const v = view.json();
      expect(v.person).toMatchObject({ id_number: person.id, ref: row.ref });
      expect(v.members.find((m: { isSelf: boolean }) => m.isSelf).ref).toBe(row.ref);
      const relative = v.relations.find((r: { relativeRef: string | null }) => r.relativeRef !== null);
      expect(relative, 'a relative in the area is linked by ref').toBeDefined();
      expect((await api.call('huayang', 'GET', `/api/residents/${relative.relativeRef}`)).statusCode).toBe(200);
      for (const m of v.members)
        expect((await api.call('huayang', 'GET', `/api/residents/${m.ref}`)).json().person.ref).toBe(m.ref);
      // The household's members by ref, and the same refs.
      const household = (await api.call('huayang', 'GET', `/api/households/${person.household}`)).json();
      expect(household.members.map((m: { ref: string }) => m.ref).sort()).toEqual(
        v.members.map((m: { ref: string }) => m.ref).sort(),
      );
      // Tags and eligibility by ref equal those by id number.
      for (const part of ['tags', 'eligibility']) {
        const byRef = await api.call('huayang', 'GET', `/api/residents/${row.ref}/${part}?asOf=2026-11-28`);
        expect(byRef.statusCode, byRef.body).toBe(200);
        expect(byRef.body).toBe(
          (await api.call('huayang', 'GET', `/api/residents/${person.id}/${part}?asOf=2026-11-28`)).body,
        );
        expect(full(byRef.body)).toEqual([]);
      }
      // Audited under the full id number, whichever way the person was named.
      const audit = await api.services.database.db
        .selectFrom('audit_log')
        .select(['action', 'target'])
        .where('actor', '=', 'huayang')
        .execute();
      for (const action of ['resident.view', 'resident.tags', 'resident.eligibility']) {
        expect(
          audit.filter((a) => a.action === action).map((a) => a.target),
          action,
        ).toContain(`resident:${person.id}`);
      }
      expect(audit.some((a) => a.target.includes('r.'))).toBe(false);

      // Tag by ref, take it off by ref.
      const assigned = (
        await api.call('huayang', 'POST', `/api/tags/${manualTag}/assignments`, {
          idNumbers: [row.ref],
          reason: '按引用',
        })
      ).json();
      expect(
        assigned.assigned + assigned.skipped.filter((s: { reason: string }) => s.reason === '已有此标签').length,
      ).toBe(1);
      expect(
        (await api.call('huayang', 'GET', `/api/residents/${row.ref}/tags`))
          .json()
          .tags.map((t: { id: number }) => t.id),
      ).toContain(manualTag);
      expect((await api.call('huayang', 'DELETE', `/api/tags/${manualTag}/assignments/${row.ref}`)).statusCode).toBe(
        200,
      );
      expect(
        (await api.call('huayang', 'GET', `/api/residents/${row.ref}/tags`))
          .json()
          .tags.map((t: { id: number }) => t.id),
      ).not.toContain(manualTag);
      const stored = await api.services.database.db
        .selectFrom('tag_assignment')
        .select('id_number')
        .where('tag_id', '=', manualTag)
        .where('id_number', 'like', 'r.%')
        .execute();
      expect(stored).toEqual([]);

      // A lead of the list, moved on by its row's ref (as `ref`, and as `idNumber`).
      const leads = (await api.call('huayang', 'GET', '/api/leads?limit=200')).json() as {
        items: Array<{ ref: string; policy: string; kind: string; status: string }>;
      };
      const lead = leads.items.find((l) => l.status === 'new')!;
      const contacted = await api.call('huayang', 'PATCH', '/api/leads', {
        ref: lead.ref,
        policy: lead.policy,
        kind: lead.kind,
        status: 'contacted',
      });
      expect(contacted.statusCode, contacted.body).toBe(200);
      expect(contacted.json()).toMatchObject({ ref: lead.ref, status: 'contacted' });
      expect(full(contacted.body)).toEqual([]);
      const applied = await api.call('huayang', 'PATCH', '/api/leads', {
        idNumber: lead.ref,
        policy: lead.policy,
        kind: lead.kind,
        status: 'applied',
      });
      expect(applied.json()).toMatchObject({ ref: lead.ref, status: 'applied' });
      const events = await api.services.database.db
        .selectFrom('lead_event')
        .select('id_number')
        .where('actor', '=', 'huayang')
        .execute();
      expect(new Set(events.map((e) => e.id_number))).toEqual(new Set([api.services.refs.open(lead.ref)]));
      const neither = await api.call('huayang', 'PATCH', '/api/leads', {
        policy: lead.policy,
        kind: lead.kind,
        status: 'awarded',
      });
      expect(neither.statusCode).toBe(400);
    });

    it('answers a tampered or foreign ref exactly as an unknown id number', async () => {
      const good = api.services.refs.ref(person.id);
      const unknownId = '110101199003070000';
      const bad = [tamper(good), residentRefs(randomBytes(32)).ref(person.id), api.services.refs.ref(unknownId)];
      const routes = (key: string): Array<[Method, string, unknown?]> => [
        ['GET', `/api/residents/${key}`],
        ['GET', `/api/residents/${key}/tags`],
        ['GET', `/api/residents/${key}/eligibility`],
        ['DELETE', `/api/tags/${manualTag}/assignments/${key}`],
        ['PATCH', '/api/leads', { ref: key, policy: 'TEKUN', kind: 'lead', status: 'contacted' }],
      ];
      const expected = await Promise.all(routes(unknownId).map(([m, u, b]) => api.call('huayang', m, u, b)));
      for (const [k, res] of expected.entries()) {
        expect(res.statusCode, routes(unknownId)[k]![1]).toBe(404);
        expect(res.json().error.message, routes(unknownId)[k]![1]).toMatch(/[\u4e00-\u9fff]/);
      }
      for (const key of bad) {
        const got = await Promise.all(routes(key).map(([m, u, b]) => api.call('huayang', m, u, b)));
        for (const [k, res] of got.entries()) {
          expect(res.statusCode, `${routes(key)[k]![0]} ${routes(key)[k]![1]}`).toBe(404);
          expect(res.json(), `${routes(key)[k]![0]} ${routes(key)[k]![1]}`).toEqual(expected[k]!.json());
        }
      }
      // Assigned by a bad ref: skipped as "not found", like an unknown id number.
      const assign = (
        await api.call('huayang', 'POST', `/api/tags/${manualTag}/assignments`, {
          idNumbers: [bad[0], unknownId],
          reason: 'x',
        })
      ).json();
      expect(assign.assigned).toBe(0);
      expect(assign.skipped.map((s: { reason: string }) => s.reason)).toEqual([
        '在您的辖区内找不到该居民',
        '在您的辖区内找不到该居民',
      ]);
      expect(assign.skipped[0]).toMatchObject({ ref: bad[0], idNumberMasked: null });
      // Not ref-shaped at all: a validation error naming what is expected.
      const malformed = await api.call('huayang', 'GET', '/api/residents/r.short');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.message).toContain('居民引用');
    });

    it("keeps a street worker out of another street's resident by ref as by id number", async () => {
      const ref = api.services.refs.ref(other);
      // The district sees the person by ref.
      expect((await api.call('district', 'GET', `/api/residents/${ref}`)).statusCode).toBe(200);
      for (const suffix of ['', '/tags', '/eligibility']) {
        const byId = await api.call('huayang', 'GET', `/api/residents/${other}${suffix}`);
        const byRef = await api.call('huayang', 'GET', `/api/residents/${ref}${suffix}`);
        expect(byRef.statusCode, suffix).toBe(404);
        expect(byRef.json(), suffix).toEqual(byId.json());
      }
      const leads = (await api.call('jiangsu', 'GET', '/api/leads?limit=200')).json() as {
        items: Array<{ ref: string; policy: string; kind: string }>;
      };
      const theirs = leads.items[0]!;
      const patch = await api.call('huayang', 'PATCH', '/api/leads', {
        ref: theirs.ref,
        policy: theirs.policy,
        kind: theirs.kind,
        status: 'contacted',
      });
      expect(patch.statusCode).toBe(404);
      expect(patch.json().error.code).toBe('TJ_LEAD_NOT_FOUND');
      const assign = (
        await api.call('huayang', 'POST', `/api/tags/${manualTag}/assignments`, { idNumbers: [ref], reason: 'x' })
      ).json();
      expect(assign).toMatchObject({ assigned: 0, skipped: [{ reason: '在您的辖区内找不到该居民' }] });
      expect(
        await api.services.database.db
          .selectFrom('lead_event')
          .select('id')
          .where('id_number', '=', api.services.refs.open(theirs.ref)!)
          .execute(),
      ).toEqual([]);
    });
  });
}
