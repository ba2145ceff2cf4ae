/**
 * Every route, tried by a street worker and by an adviser against another street's people,
 * households, tags, selections and policies: nothing of that street may come back (its residents'
 * id numbers, their refs and its household ids are looked for in every answer), nothing of it may
 * change, and nothing may fail with a 500. A route that takes a resident is tried with the id
 * number and with the ref (resident-ref.ts) a list of the victim street gives. The routes come from the OpenAPI document, so a new route is
 * tried too; one whose path names a parameter this suite cannot fill fails it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, sampleApi, type Method, type SampleApi } from './test/helpers.ts';

/** 新泾镇 (the victim) and, in 华阳路街道, the attackers: its street worker and an adviser. */
const VICTIM_STREET = '310105102';
const VICTIM_COMMITTEE = '310105102027';
const VICTIM_PERSON = '31011219970724061X';
const VICTIM_HOUSEHOLD = 'H0000002';
const ATTACKERS = ['huayang', 'adviser.310105001014'] as const;
/** Public or about the caller alone: nobody else's data to reach. */
const SKIP = new Set(['/api/health', '/api/screener', '/api/session']);

for (const dialect of DIALECTS) {
  describe(`another street's data through every route (${dialect})`, () => {
    let api: SampleApi;
    let victimIds: string[];
    let victimRefs: string[];
    let victimHouseholds: string[];
    const fill: Record<string, string> = {};
    const snapshot = async () => {
      const db = api.services.database.db;
      const [residents, households, leads, assignments, policies, selections] = await Promise.all([
        db
          .selectFrom('resident')
          .selectAll()
          .where('committee_code', 'like', `${VICTIM_STREET}%`)
          .orderBy('id_number')
          .execute(),
        db
          .selectFrom('household')
          .selectAll()
          .where('committee_code', 'like', `${VICTIM_STREET}%`)
          .orderBy('household_id')
          .execute(),
        db.selectFrom('lead_event').selectAll().where('id_number', 'in', victimIds).orderBy('id').execute(),
        db.selectFrom('tag_assignment').selectAll().where('id_number', 'in', victimIds).orderBy('id').execute(),
        db
          .selectFrom('local_policy')
          .selectAll()
          .where('owner_code', 'like', `${VICTIM_STREET}%`)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('saved_selection')
          .selectAll()
          .where('org_code', 'like', `${VICTIM_STREET}%`)
          .orderBy('id')
          .execute(),
      ]);
      return JSON.stringify({
        residents,
        households,
        leads,
        assignments,
        policies,
        selections,
        victim: [...victimIds],
      });
    };

    beforeAll(async () => {
      api = await sampleApi(dialect, [
        { username: 'district', role: 'district', orgCode: '310105' },
        { username: 'xinjing', role: 'street', orgCode: VICTIM_STREET },
        { username: 'huayang', role: 'street', orgCode: '310105001' },
        { username: 'adviser.310105001014', role: 'adviser', orgCode: '310105001014' },
      ]);
      const db = api.services.database.db;
      victimIds = (
        await db
          .selectFrom('resident')
          .select('id_number')
          .where('committee_code', 'like', `${VICTIM_STREET}%`)
          .execute()
      ).map((r) => r.id_number);
      victimRefs = victimIds.map((id) => api.services.refs.ref(id));
      victimHouseholds = (
        await db
          .selectFrom('household')
          .select('household_id')
          .where('committee_code', 'like', `${VICTIM_STREET}%`)
          .execute()
      ).map((r) => r.household_id);
      // The victim street's own things: a manual tag on one of its residents, a saved selection, a local policy draft.
      const levels = (await api.call('xinjing', 'GET', '/api/tags')).json().levels as Array<{
        tags: Array<{ id: number; ownerCode: string }>;
      }>;
      const tags = levels.flatMap((l) => l.tags);
      const made = await api.call('xinjing', 'POST', '/api/tags', {
        code: '新泾关注',
        category: '自治类',
        source: 'manual',
        description: '新泾镇自己的标注',
      });
      expect(made.statusCode, made.body).toBe(201);
      const manual = made.json() as { id: number };
      await api.call('xinjing', 'POST', `/api/tags/${manual.id}/assignments`, {
        idNumbers: [VICTIM_PERSON],
        reason: '走访',
      });
      const saved = (
        await api.call('xinjing', 'POST', '/api/selections/saved', { name: '新泾圈选', expression: '独居老人' })
      ).json() as { id: number };
      fill.idNumber = VICTIM_PERSON;
      fill.householdId = VICTIM_HOUSEHOLD;
      fill.id = String(tags.find((t) => t.ownerCode === VICTIM_STREET)?.id ?? manual.id);
      fill.code = 'XJ_LOCAL';
      fill.version = '1';
      fill.username = 'xinjing';
      fill.savedId = String(saved.id);
      // The sample's import, run by the system: its report is nobody's in a street.
      fill.runId = '1';
      expect(manual.id, 'the victim street made its manual tag').toBeGreaterThan(0);
    }, 120_000);
    afterAll(async () => api.close());

    it('lets nothing of it out and changes nothing of it', async () => {
      const before = await snapshot();
      const doc = (await api.call('district', 'GET', '/docs/json')).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => [m.toUpperCase() as Method, path] as const),
      );
      expect(routes.length).toBeGreaterThan(40);
      const leaks: string[] = [];
      const tried: string[] = [];
      const victimRef = api.services.refs.ref(VICTIM_PERSON);
      for (const attacker of ATTACKERS) {
        for (const [method, path] of routes) {
          if (SKIP.has(path) || (method as string) === 'HEAD') continue;
          // The person by id number, and again by ref where a route takes a resident (path or body).
          const takesResident = path.includes('{idNumber}') || (method !== 'GET' && method !== 'DELETE');
          for (const person of takesResident ? [VICTIM_PERSON, victimRef] : [VICTIM_PERSON]) {
            const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
              const value =
                name === 'idNumber'
                  ? person
                  : path.includes('/selections/saved') && name === 'id'
                    ? fill.savedId
                    : fill[name];
              if (value === undefined)
                throw new Error(`${method} ${path}: no value for {${name}}: add it to this suite`);
              return encodeURIComponent(value);
            });
            const query =
              method === 'GET'
                ? `${url.includes('?') ? '&' : '?'}org=${VICTIM_STREET}&householdId=${VICTIM_HOUSEHOLD}&q=${VICTIM_PERSON}`
                : '';
            const body =
              method === 'GET' || method === 'DELETE'
                ? undefined
                : {
                    idNumber: person,
                    idNumbers: [person],
                    ref: person,
                    householdId: VICTIM_HOUSEHOLD,
                    org: VICTIM_STREET,
                    orgCode: VICTIM_COMMITTEE,
                    policy: 'TEKUN',
                    kind: 'lead',
                    status: 'assigned',
                    assignee: 'adviser.310105001014',
                    reason: '试探',
                    expression: '独居老人',
                    name: '试探',
                    answers: [],
                    selection: { expression: '独居老人' },
                    code: 'XJ_LOCAL',
                    yaml: 'code: XJ_LOCAL',
                  };
            const res = await api.call(attacker, method, `${url}${query}`, body);
            tried.push(`${attacker} ${method} ${path} → ${res.statusCode}`);
            expect(res.statusCode, `${attacker} ${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
            const text = res.body;
            for (const id of victimIds)
              if (text.includes(id)) leaks.push(`${attacker} ${method} ${url}${query}: id ${id}`);
            // A ref the attacker sent may come back as sent; any other of the victim street's may not.
            for (const r of victimRefs)
              if (r !== person && text.includes(r))
                leaks.push(`${attacker} ${method} ${url}${query}: ref of ${api.services.refs.open(r)}`);
            for (const h of victimHouseholds)
              if (new RegExp(`"${h}"`).test(text)) leaks.push(`${attacker} ${method} ${url}${query}: household ${h}`);
          }
        }
      }
      expect(leaks).toEqual([]);
      expect(tried.length).toBeGreaterThan(80);
      const after = await snapshot();
      if (after !== before) {
        const [a, b] = [
          JSON.parse(before) as Record<string, unknown[]>,
          JSON.parse(after) as Record<string, unknown[]>,
        ];
        for (const k of Object.keys(a)) expect(JSON.stringify(b[k]), k).toBe(JSON.stringify(a[k]));
      }
    }, 300_000);

    it("refuses an adviser's import outright, and a street worker's rows about the other street in every table", async () => {
      const before = await snapshot();
      const files: Record<string, string> = {
        'households.csv': `household_id,committee_code,address,housing_type,housing_area_m2,financial_assets_yuan\n${VICTIM_HOUSEHOLD},310105001014,仙霞路1号,自有,10,1\n`,
        'residents.csv': `id_number,name,gender,birth_date,household_id,relation_to_head,hukou,marital_status,disability_grade,disability_category,monthly_income_yuan,employment,school_stage,labor_capacity,chronic_illness,medical_oop_12m_yuan,phone\n${VICTIM_PERSON},罗佳嘉,男,1997-07-24,H0000003,户主,本市,已婚,,,1,在职,,有,否,0,\n`,
        'relations.csv': `id_number,relative_name,relative_id_number,relation,able_to_support\n${VICTIM_PERSON},某某,,子女,是\n`,
        'enrollments.csv': `id_number,benefit_code,start_date,end_date\n${VICTIM_PERSON},DIBAO,2025-01-01,\n`,
        'identity_tags.csv': `id_number,tag\n${VICTIM_PERSON},志愿者\n`,
      };
      for (const [name, text] of Object.entries(files)) {
        for (const attacker of ATTACKERS) {
          const boundary = '----tingjian';
          const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${boundary}--\r\n`;
          const cookie = (
            await api.app.inject({
              method: 'POST',
              url: '/api/session',
              payload: { username: attacker, password: 'correct horse battery' },
            })
          ).cookies.find((c) => c.name === 'tj_session')!.value;
          const res = await api.app.inject({
            method: 'POST',
            url: '/api/imports',
            headers: { cookie: `tj_session=${cookie}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
            payload,
          });
          if (attacker.startsWith('adviser')) {
            expect(res.statusCode, `${attacker} ${name}`).toBe(403);
          } else {
            expect(res.statusCode, `${attacker} ${name}: ${res.body.slice(0, 300)}`).toBe(200);
            const counts = Object.values(
              res.json().tables as Record<string, { inserted: number; updated: number; rejected: number }>,
            )[0]!;
            expect(counts, `${attacker} ${name}`).toMatchObject({ inserted: 0, updated: 0, rejected: 1 });
          }
        }
      }
      expect(await snapshot()).toBe(before);
    }, 120_000);
  });
}
