/**
 * The table of who may do what (@tingjian/engine: PERMISSIONS), walked over HTTP: every action is
 * mapped to its routes below, and every route of the OpenAPI document to one action (a new route
 * or a new action without its route fails here). Each route is called by an account of each role —
 * district 310105, street 310105001, committee and adviser of one of its committees — on a target
 * of that role's own: where the table lets the role, the answer is a 2xx (never a 403); where it
 * does not, a 403. A target past a role's reach (another unit's policy, a lead assigned to someone else) is
 * refused; one outside the caller's area (in 新泾镇) is a 404, as if it did not exist. The
 * system has no session: its row of the table is checked at requireAccess.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTIONS, may, type Action } from '@tingjian/engine';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAccess } from './modules/auth/access.ts';
import { systemScope, type Scope } from './modules/auth/scope.ts';
import { openSource } from './modules/import/sources.ts';
import { DIALECTS, sampleApi, TEST_PASSWORD, type Method, type SampleApi } from './test/helpers.ts';

/** A committee of 华阳路街道 with several leads in the sample. */
const COMMITTEE = '310105001003';
/** 新泾镇: outside every account's area but the district's. */
const OTHER_STREET = '310105102';
const OTHER_PERSON = '31011219970724061X';
const OTHER_HOUSEHOLD = 'H0000002';
/** A valid id number of nobody in the registry: an import row about them is rejected, changing nothing. */
const NOBODY = '110101199003074477';

const ACCOUNTS = [
  { username: 'district', role: 'district', orgCode: '310105' },
  { username: 'street', role: 'street', orgCode: '310105001' },
  { username: 'committee', role: 'committee', orgCode: COMMITTEE },
  { username: 'adviser', role: 'adviser', orgCode: COMMITTEE },
] as const;
type Who = (typeof ACCOUNTS)[number];
type Role = Who['role'];
const scopeOf = (who: Who): Scope => ({ username: who.username, role: who.role, orgCode: who.orgCode });

/** Routes that answer without a session or are about the caller alone: no action of the table. */
const PUBLIC = new Set([
  'POST /api/session',
  'GET /api/session',
  'DELETE /api/session',
  'GET /api/health',
  'POST /api/screener',
]);

interface Request {
  readonly url: string;
  readonly body?: unknown;
  /** A multipart upload instead of a JSON body. */
  readonly file?: { readonly name: string; readonly text: string };
}
/** What a route is called with by an account: a target of its own, made by the fixtures or by its earlier calls. */
type Build = (who: Who, mine: Record<string, string>) => Request;

/** The fixtures: targets in the accounts' areas and in 新泾镇. */
interface Fixtures {
  person: string;
  household: string;
  visibleTag: string;
  manualTag: string;
  otherTag: string;
  otherSaved: string;
  lead: { ref: string; policy: string };
  unassignedLead: { ref: string; policy: string };
  otherLead: { ref: string; policy: string };
  draft: Record<'district' | 'street', string>;
  published: Record<'district' | 'street', string>;
  streetPreview: string;
  keep: Record<'district' | 'street', string>;
  otherPolicy: string;
  framework: unknown;
  runs: Record<'district' | 'street' | 'streetColleague', string>;
}
const F = {} as Fixtures;

const policyInput = (code: string, minAge = 75) => ({
  code,
  name: `${code} 高龄关爱补贴`,
  source: `${code} 关于高龄老人关爱补贴的通知（2025）`,
  effectiveFrom: '2025-01-01',
  effectiveTo: null,
  rule: `local && age >= ${code}_AGE`,
  amount: `${code}_YUAN`,
  howToApply: '本人或家属向居委会提出申请。',
  parameters: [
    {
      name: `${code}_AGE`,
      label: '补贴起始年龄',
      unit: '周岁',
      values: [{ from: '2025-01-01', value: minAge, source: '通知（2025）' }],
    },
    {
      name: `${code}_YUAN`,
      label: '每月补贴金额',
      unit: '元/人/月',
      values: [{ from: '2025-01-01', value: 100, source: '通知（2025）' }],
    },
  ],
});
const tagInput = (who: Who) => ({
  code: `走访关注${who.role}`,
  category: '自治类',
  source: 'manual',
  description: `${who.role} 的走访标注`,
});
const upload = { name: 'identity_tags.csv', text: `id_number,tag\n${NOBODY},志愿者\n` };
const leadBody = (lead: { ref: string; policy: string }) => ({
  ref: lead.ref,
  policy: lead.policy,
  kind: 'lead',
  status: 'assigned',
  assignee: 'adviser',
});

/** Every action, its routes (as the OpenAPI document names them) and how each is called. */
const ROUTES: Record<Action, Record<string, Build>> = {
  'org.read': { 'GET /api/org/tree': () => ({ url: '/api/org/tree' }) },
  'stats.read': { 'GET /api/stats/overview': () => ({ url: `/api/stats/overview?org=${COMMITTEE}` }) },
  'resident.list': { 'GET /api/residents': () => ({ url: `/api/residents?org=${COMMITTEE}` }) },
  'resident.export': {
    'GET /api/residents/export.xlsx': () => ({ url: `/api/residents/export.xlsx?org=${COMMITTEE}` }),
  },
  'resident.view': {
    'GET /api/residents/{idNumber}': () => ({ url: `/api/residents/${F.person}` }),
    'GET /api/residents/{idNumber}/tags': () => ({ url: `/api/residents/${F.person}/tags` }),
    'GET /api/residents/{idNumber}/eligibility': () => ({ url: `/api/residents/${F.person}/eligibility` }),
  },
  'household.view': { 'GET /api/households/{householdId}': () => ({ url: `/api/households/${F.household}` }) },
  'tag.read': {
    'GET /api/tags': () => ({ url: '/api/tags' }),
    'GET /api/tags/vocabulary': () => ({ url: '/api/tags/vocabulary' }),
    'GET /api/tags/{id}': () => ({ url: `/api/tags/${F.visibleTag}` }),
  },
  'tag.write': {
    'POST /api/tags': (who) => ({ url: '/api/tags', body: tagInput(who) }),
    'PATCH /api/tags/{id}': (_, mine) => ({
      url: `/api/tags/${mine.tag ?? F.manualTag}`,
      body: { description: '改过的说明' },
    }),
    'DELETE /api/tags/{id}': (_, mine) => ({ url: `/api/tags/${mine.tag ?? F.manualTag}` }),
  },
  'tag.assign': {
    'POST /api/tags/{id}/assignments': () => ({
      url: `/api/tags/${F.manualTag}/assignments`,
      body: { idNumbers: [F.person], reason: '走访' },
    }),
    'DELETE /api/tags/{id}/assignments/{idNumber}': () => ({ url: `/api/tags/${F.manualTag}/assignments/${F.person}` }),
  },
  'selection.query': {
    'POST /api/selections/count': () => ({ url: '/api/selections/count', body: { expression: '大病' } }),
    'POST /api/selections/query': () => ({ url: '/api/selections/query', body: { expression: '大病' } }),
    'GET /api/selections/saved': () => ({ url: '/api/selections/saved' }),
  },
  'selection.export': {
    'POST /api/selections/export.xlsx': () => ({ url: '/api/selections/export.xlsx', body: { expression: '大病' } }),
  },
  'selection.save': {
    'POST /api/selections/saved': (who) => ({
      url: '/api/selections/saved',
      body: { name: `${who.role} 的圈选`, expression: '大病' },
    }),
    'DELETE /api/selections/saved/{id}': (_, mine) => ({ url: `/api/selections/saved/${mine.saved}` }),
  },
  'policy.read': {
    'GET /api/policies': () => ({ url: '/api/policies' }),
    'GET /api/local-policies': () => ({ url: '/api/local-policies' }),
    'GET /api/local-policies/{code}': () => ({ url: `/api/local-policies/${F.keep.street}` }),
  },
  'policy.simulate': {
    'POST /api/policies/simulate': () => ({ url: '/api/policies/simulate', body: { parameters: [], policies: [] } }),
  },
  'policy.draft': {
    'POST /api/local-policies': (who) => ({
      url: '/api/local-policies',
      body: policyInput(`NEW_${who.role.toUpperCase()}`),
    }),
    'PATCH /api/local-policies/{code}': (_, mine) => {
      const code = mine.policy ?? F.keep.street;
      return { url: `/api/local-policies/${code}`, body: policyInput(code, 80) };
    },
  },
  'policy.preview': {
    'POST /api/local-policies/{code}/simulate': () => ({
      url: `/api/local-policies/${F.streetPreview}/simulate`,
      body: {},
    }),
  },
  'policy.publish': {
    'POST /api/local-policies/{code}/publish': (who) => ({
      url: `/api/local-policies/${who.role === 'district' || who.role === 'street' ? F.draft[who.role] : F.keep.street}/publish`,
    }),
  },
  'policy.withdraw': {
    'POST /api/local-policies/{code}/withdraw': (who) => ({
      url: `/api/local-policies/${who.role === 'district' || who.role === 'street' ? F.published[who.role] : F.keep.street}/withdraw`,
    }),
  },
  'lead.read': {
    'GET /api/leads': () => ({ url: `/api/leads?kind=lead&org=${COMMITTEE}` }),
    'GET /api/leads/summary': () => ({ url: `/api/leads/summary?org=${COMMITTEE}` }),
    'GET /api/advisers': () => ({ url: `/api/advisers?org=${COMMITTEE}` }),
  },
  'lead.export': { 'GET /api/leads/export.xlsx': () => ({ url: `/api/leads/export.xlsx?kind=lead&org=${COMMITTEE}` }) },
  'lead.update': { 'PATCH /api/leads': () => ({ url: '/api/leads', body: leadBody(F.lead) }) },
  'assessment.read': {
    'GET /api/assessment/framework': () => ({ url: '/api/assessment/framework' }),
    'GET /api/assessment/areas': () => ({ url: `/api/assessment/areas?org=${COMMITTEE}` }),
    'GET /api/assessment/households': () => ({ url: `/api/assessment/households?org=${COMMITTEE}` }),
    'GET /api/households/{householdId}/assessment': () => ({ url: `/api/households/${F.household}/assessment` }),
    'GET /api/households/{householdId}/questionnaire': () => ({ url: `/api/households/${F.household}/questionnaire` }),
    'GET /api/assessment/frameworks': () => ({ url: '/api/assessment/frameworks' }),
    'GET /api/assessment/frameworks/{version}': () => ({ url: '/api/assessment/frameworks/1' }),
  },
  'assessment.record': {
    'POST /api/households/{householdId}/assessment': () => ({ url: `/api/households/${F.household}/assessment` }),
  },
  'visit.answer': {
    'POST /api/households/{householdId}/visit-answers': () => ({
      url: `/api/households/${F.household}/visit-answers`,
      // The registry has the hukou: the answer is kept, not used.
      body: { visitDate: '2026-11-30', answers: [{ fact: 'hukou', member: F.person, value: '本市' }] },
    }),
  },
  'framework.edit': {
    'POST /api/assessment/frameworks/check': () => ({ url: '/api/assessment/frameworks/check', body: F.framework }),
    'POST /api/assessment/frameworks': () => ({ url: '/api/assessment/frameworks' }),
    'PATCH /api/assessment/frameworks/{version}': () => ({ url: '/api/assessment/frameworks/2', body: F.framework }),
    'POST /api/assessment/frameworks/{version}/preview': () => ({ url: '/api/assessment/frameworks/2/preview' }),
  },
  'framework.publish': {
    'POST /api/assessment/frameworks/{version}/publish': () => ({ url: '/api/assessment/frameworks/2/publish' }),
  },
  'import.run': {
    'GET /api/imports/template.xlsx': () => ({ url: '/api/imports/template.xlsx' }),
    'POST /api/imports': () => ({ url: '/api/imports', file: upload }),
  },
  'import.report': {
    'GET /api/imports/{runId}/report.csv': (who) => ({
      url: `/api/imports/${who.role === 'district' ? F.runs.district : F.runs.street}/report.csv`,
    }),
  },
  'user.read': { 'GET /api/users': () => ({ url: '/api/users' }) },
  'user.create': {
    'POST /api/users': (who) => ({
      url: '/api/users',
      body: {
        username: `made.by.${who.role}`,
        displayName: '新账号',
        password: TEST_PASSWORD,
        role: 'committee',
        orgCode: COMMITTEE,
      },
    }),
  },
  'user.unlock': { 'POST /api/users/{username}/unlock': () => ({ url: '/api/users/committee/unlock' }) },
  'audit.read': { 'GET /api/audit': () => ({ url: '/api/audit?limit=5' }) },
  'audit.verify': { 'GET /api/audit/verify': () => ({ url: '/api/audit/verify' }) },
};

/** What the calls leave for the next ones of the same account (the tag it made, its saved selection, its policy). */
function remember(route: string, who: Who, res: LightMyRequestResponse, mine: Record<string, string>): void {
  if (res.statusCode >= 300) return;
  if (route === 'POST /api/tags') mine.tag = String(res.json().id);
  if (route === 'POST /api/selections/saved') mine.saved = String(res.json().id);
  if (route === 'POST /api/local-policies') mine.policy = `NEW_${who.role.toUpperCase()}`;
}

/** Targets outside the area of every account but the district's: a 404 for each role that may do the action. */
const OUTSIDE: Partial<Record<Action, Record<string, () => Request>>> = {
  'stats.read': { 'GET /api/stats/overview': () => ({ url: `/api/stats/overview?org=${OTHER_STREET}` }) },
  'resident.list': { 'GET /api/residents': () => ({ url: `/api/residents?org=${OTHER_STREET}` }) },
  'resident.export': {
    'GET /api/residents/export.xlsx': () => ({ url: `/api/residents/export.xlsx?org=${OTHER_STREET}` }),
  },
  'resident.view': {
    'GET /api/residents/{idNumber}': () => ({ url: `/api/residents/${OTHER_PERSON}` }),
    'GET /api/residents/{idNumber}/tags': () => ({ url: `/api/residents/${OTHER_PERSON}/tags` }),
    'GET /api/residents/{idNumber}/eligibility': () => ({ url: `/api/residents/${OTHER_PERSON}/eligibility` }),
  },
  'household.view': { 'GET /api/households/{householdId}': () => ({ url: `/api/households/${OTHER_HOUSEHOLD}` }) },
  'tag.read': { 'GET /api/tags/{id}': () => ({ url: `/api/tags/${F.otherTag}` }) },
  'tag.write': { 'PATCH /api/tags/{id}': () => ({ url: `/api/tags/${F.otherTag}`, body: { description: '试探' } }) },
  'tag.assign': {
    'DELETE /api/tags/{id}/assignments/{idNumber}': () => ({
      url: `/api/tags/${F.manualTag}/assignments/${OTHER_PERSON}`,
    }),
  },
  'selection.save': { 'DELETE /api/selections/saved/{id}': () => ({ url: `/api/selections/saved/${F.otherSaved}` }) },
  'policy.read': { 'GET /api/local-policies/{code}': () => ({ url: `/api/local-policies/${F.otherPolicy}` }) },
  'policy.draft': {
    'PATCH /api/local-policies/{code}': () => ({
      url: `/api/local-policies/${F.otherPolicy}`,
      body: policyInput(F.otherPolicy),
    }),
  },
  'policy.preview': {
    'POST /api/local-policies/{code}/simulate': () => ({
      url: `/api/local-policies/${F.otherPolicy}/simulate`,
      body: {},
    }),
  },
  'policy.publish': {
    'POST /api/local-policies/{code}/publish': () => ({ url: `/api/local-policies/${F.otherPolicy}/publish` }),
  },
  'policy.withdraw': {
    'POST /api/local-policies/{code}/withdraw': () => ({ url: `/api/local-policies/${F.otherPolicy}/withdraw` }),
  },
  'lead.read': {
    'GET /api/leads': () => ({ url: `/api/leads?kind=lead&org=${OTHER_STREET}` }),
    'GET /api/leads/summary': () => ({ url: `/api/leads/summary?org=${OTHER_STREET}` }),
    'GET /api/advisers': () => ({ url: `/api/advisers?org=${OTHER_STREET}` }),
  },
  'lead.export': {
    'GET /api/leads/export.xlsx': () => ({ url: `/api/leads/export.xlsx?kind=lead&org=${OTHER_STREET}` }),
  },
  'lead.update': { 'PATCH /api/leads': () => ({ url: '/api/leads', body: leadBody(F.otherLead) }) },
  'assessment.read': {
    'GET /api/assessment/areas': () => ({ url: `/api/assessment/areas?org=${OTHER_STREET}` }),
    'GET /api/households/{householdId}/assessment': () => ({ url: `/api/households/${OTHER_HOUSEHOLD}/assessment` }),
    'GET /api/households/{householdId}/questionnaire': () => ({
      url: `/api/households/${OTHER_HOUSEHOLD}/questionnaire`,
    }),
  },
  'assessment.record': {
    'POST /api/households/{householdId}/assessment': () => ({ url: `/api/households/${OTHER_HOUSEHOLD}/assessment` }),
  },
  'visit.answer': {
    'POST /api/households/{householdId}/visit-answers': () => ({
      url: `/api/households/${OTHER_HOUSEHOLD}/visit-answers`,
      body: { visitDate: '2026-11-30', answers: [{ fact: 'hukou', member: OTHER_PERSON, value: '本市' }] },
    }),
  },
  // The district's own run: outside a street's area (and a committee's).
  'import.report': {
    'GET /api/imports/{runId}/report.csv': () => ({ url: `/api/imports/${F.runs.district}/report.csv` }),
  },
};

/** Targets in the area but past a role's reach ('unit', 'self'), and the answer they get. */
const BEYOND: Array<{ action: Action; role: Role; route: string; request: () => Request; status: number }> = [
  // A district admin drafts and publishes the district's own policies, not a street's.
  {
    action: 'policy.draft',
    role: 'district',
    route: 'PATCH /api/local-policies/{code}',
    request: () => ({ url: `/api/local-policies/${F.streetPreview}`, body: policyInput(F.streetPreview) }),
    status: 403,
  },
  {
    action: 'policy.publish',
    role: 'district',
    route: 'POST /api/local-policies/{code}/publish',
    request: () => ({ url: `/api/local-policies/${F.streetPreview}/publish` }),
    status: 403,
  },
  // A street worker withdraws the street's own, not the district's.
  {
    action: 'policy.withdraw',
    role: 'street',
    route: 'POST /api/local-policies/{code}/withdraw',
    request: () => ({ url: `/api/local-policies/${F.keep.district}/withdraw` }),
    status: 403,
  },
  // An adviser works the leads assigned to them.
  {
    action: 'lead.update',
    role: 'adviser',
    route: 'PATCH /api/leads',
    request: () => ({ url: '/api/leads', body: { ...leadBody(F.unassignedLead), status: 'contacted' } }),
    status: 403,
  },
  // A report is its importer's (and their district admin's): a colleague's is not found.
  {
    action: 'import.report',
    role: 'street',
    route: 'GET /api/imports/{runId}/report.csv',
    request: () => ({ url: `/api/imports/${F.runs.streetColleague}/report.csv` }),
    status: 404,
  },
];

/**
 * Allowed, but no target of the role's own exists: a committee worker or an adviser runs no
 * imports (import.run refuses them), so the only reports there are are others', and not found.
 */
const NO_TARGET = new Set(['import.report committee', 'import.report adviser']);

/** Whether an OpenAPI path ('/api/tags/{id}') is the path of a request ('/api/tags/12?x=1'). */
function matches(pattern: string, url: string): boolean {
  const path = url.split('?')[0]!;
  return new RegExp(`^${pattern.replace(/\{\w+\}/g, '[^/]+')}$`).test(path);
}

for (const dialect of DIALECTS) {
  describe(`who may do what, route by route (${dialect})`, () => {
    let api: SampleApi;
    let dir: string | undefined;
    const cookies: Record<string, string> = {};

    async function send(who: Who, method: Method, request: Request): Promise<LightMyRequestResponse> {
      const cookie = cookies[who.username]!;
      if (request.file) {
        const boundary = '----tingjian-access';
        const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${request.file.name}"\r\nContent-Type: text/csv\r\n\r\n${request.file.text}\r\n--${boundary}--\r\n`;
        return api.app.inject({
          method,
          url: request.url,
          payload,
          headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
        });
      }
      return api.app.inject({
        method,
        url: request.url,
        headers: { cookie },
        ...(request.body === undefined ? {} : { payload: request.body as object }),
      });
    }

    beforeAll(async () => {
      api = await sampleApi(dialect, ACCOUNTS);
      for (const a of ACCOUNTS) {
        const res = await api.app.inject({
          method: 'POST',
          url: '/api/session',
          payload: { username: a.username, password: TEST_PASSWORD },
        });
        cookies[a.username] = `tj_session=${res.cookies.find((c) => c.name === 'tj_session')!.value}`;
      }
      const s = api.services;
      const db = s.database.db;
      const [district, street] = [scopeOf(ACCOUNTS[0]), scopeOf(ACCOUNTS[1])];
      const otherStreet: Scope = { username: 'xinjing', role: 'street', orgCode: OTHER_STREET };

      // A household of the committee, one of its members; tags seen by every account, and one of 新泾镇.
      const household = await db
        .selectFrom('household')
        .select('household_id')
        .where('committee_code', '=', COMMITTEE)
        .orderBy('household_id')
        .executeTakeFirstOrThrow();
      F.household = household.household_id;
      F.person = (
        await db
          .selectFrom('resident')
          .select('id_number')
          .where('household_id', '=', F.household)
          .orderBy('id_number')
          .executeTakeFirstOrThrow()
      ).id_number;
      const tags = await db.selectFrom('tag').select(['id', 'owner_code', 'source']).execute();
      F.visibleTag = String(tags.find((t) => t.owner_code === '310105')!.id);
      F.manualTag = String(tags.find((t) => t.owner_code === '310105' && t.source === 'manual')!.id);
      F.otherTag = String(
        (
          tags.find((t) => t.owner_code === OTHER_STREET) ??
          (await s.tags.create(otherStreet, {
            code: '新泾关注',
            category: '自治类',
            source: 'manual',
            description: '新泾镇自己的标注',
          }))
        ).id,
      );
      F.otherSaved = String(
        (await s.tags.saveSelection(otherStreet, { name: '新泾圈选', expression: '独居老人', rank: [] })).id,
      );

      // Leads: two in the committee (one assigned to its adviser), one in 新泾镇.
      const leads = (
        await s.policies.leads(district, { kind: 'lead', org: COMMITTEE, limit: 10, offset: 0 }, s.today())
      ).items;
      expect(leads.length, `leads in ${COMMITTEE}`).toBeGreaterThanOrEqual(2);
      F.lead = { ref: leads[0]!.ref, policy: leads[0]!.policy };
      F.unassignedLead = { ref: leads[1]!.ref, policy: leads[1]!.policy };
      await s.policies.updateLead(district, { ...leadBody(F.lead), kind: 'lead', status: 'assigned' }, s.today());
      const other = (
        await s.policies.leads(district, { kind: 'lead', org: OTHER_STREET, limit: 1, offset: 0 }, s.today())
      ).items[0]!;
      F.otherLead = { ref: other.ref, policy: other.policy };

      // Local policies: drafts and published ones of the district and the street; one of 新泾镇.
      const made = async (scope: Scope, code: string, publish: boolean) => {
        await s.localPolicies.create(scope, policyInput(code));
        if (publish) await s.localPolicies.publish(scope, code);
        return code;
      };
      F.draft = { district: await made(district, 'CN_DRAFT', false), street: await made(street, 'HY_DRAFT', false) };
      F.published = {
        district: await made(district, 'CN_PUBLISHED', true),
        street: await made(street, 'HY_PUBLISHED', true),
      };
      F.streetPreview = await made(street, 'HY_PREVIEW', false);
      F.keep = { district: await made(district, 'CN_KEEP', true), street: await made(street, 'HY_KEEP', true) };
      F.otherPolicy = await made(otherStreet, 'XJ_DRAFT', false);

      F.framework = (await s.assessment.version(systemScope(), 1)).definition;

      // Import runs of the district and the street, with their reports.
      dir = mkdtempSync(join(tmpdir(), 'tingjian-access-'));
      writeFileSync(join(dir, upload.name), upload.text);
      F.runs = {
        district: String((await s.imports.importSnapshot(district, await openSource(dir))).runId),
        street: String((await s.imports.importSnapshot(street, await openSource(dir))).runId),
        // Another worker of the same street (no account needed to import as them here).
        streetColleague: String(
          (await s.imports.importSnapshot({ ...street, username: 'street.colleague' }, await openSource(dir))).runId,
        ),
      };
    }, 180_000);
    afterAll(async () => {
      await api?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('maps every action to routes, and every route to one action', async () => {
      const doc = (await api.call('district', 'GET', '/docs/json')).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const documented = Object.entries(doc.paths)
        .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
        .filter((r) => !r.startsWith('HEAD '));
      const claimed = Object.entries(ROUTES).flatMap(([action, routes]) =>
        Object.keys(routes).map((r) => [r, action] as const),
      );
      for (const action of ACTIONS)
        expect(Object.keys(ROUTES[action] ?? {}).length, `${action}: no route`).toBeGreaterThan(0);
      expect(Object.keys(ROUTES).sort()).toEqual([...ACTIONS].sort());
      for (const [route, action] of claimed)
        expect(documented, `${action}: ${route} is no route of the API`).toContain(route);
      const unclaimed = documented.filter((r) => !PUBLIC.has(r) && !claimed.some(([c]) => c === r));
      expect(unclaimed, 'routes no action of the table claims').toEqual([]);
      expect(new Set(claimed.map(([r]) => r)).size, 'a route claimed by two actions').toBe(claimed.length);
      // And the targets beyond and outside are of the action's own routes.
      for (const [action, routes] of Object.entries(OUTSIDE))
        for (const r of Object.keys(routes))
          expect(Object.keys(ROUTES[action as Action]), `${action} outside`).toContain(r);
      for (const b of BEYOND) expect(Object.keys(ROUTES[b.action]), `${b.action} beyond`).toContain(b.route);
    });

    it('answers every role as the table says, on every route of every action', async () => {
      const seen: string[] = [];
      const wrong: string[] = [];
      const mine: Record<string, Record<string, string>> = Object.fromEntries(ACCOUNTS.map((a) => [a.username, {}]));
      for (const action of ACTIONS) {
        for (const who of ACCOUNTS) {
          for (const [route, build] of Object.entries(ROUTES[action])) {
            const method = route.split(' ')[0] as Method;
            const request = build(who, mine[who.username]!);
            expect(matches(route.split(' ')[1]!, request.url), `${route}: ${request.url}`).toBe(true);
            const res = await send(who, method, request);
            const allowed = may(who.role, action);
            seen.push(`${action} ${who.role} ${route} → ${res.statusCode}`);
            // Allowed: answered (a 2xx), or for a role with no target of its own, not found; refused: a 403.
            const want = allowed ? (NO_TARGET.has(`${action} ${who.role}`) ? [404] : [200, 201]) : [403];
            if (!want.includes(res.statusCode)) {
              wrong.push(
                `${action} (${allowed ? 'allowed' : 'refused'}) ${who.role} ${method} ${request.url} → ${res.statusCode} ${res.body.slice(0, 200)}`,
              );
            }
            if (!allowed && res.statusCode === 403)
              expect(res.json().error.code, `${action} ${who.role} ${route}`).toMatch(
                /^TJ_(FORBIDDEN|LOCAL_POLICY_NOT_EDITABLE)$/,
              );
            if (allowed) remember(route, who, res, mine[who.username]!);
          }
        }
      }
      expect(wrong).toEqual([]);
      // Every role was refused where the table refuses it and let through somewhere: the table is walked, not skipped.
      expect(seen.length).toBe(ACCOUNTS.length * Object.values(ROUTES).reduce((n, r) => n + Object.keys(r).length, 0));
      for (const a of ACCOUNTS) {
        const refusals = seen.filter((x) => x.includes(` ${a.role} `) && x.endsWith('→ 403')).length;
        expect(refusals, `${a.role} refused`).toBe(
          ACTIONS.filter((x) => !may(a.role, x)).reduce((n, x) => n + Object.keys(ROUTES[x]).length, 0),
        );
        expect(
          seen.some((x) => x.includes(` ${a.role} `) && / → 2\d\d$/.test(x)),
          `${a.role} answered somewhere`,
        ).toBe(true);
      }
    }, 300_000);

    it('answers a target outside the area as not found, and one past the reach as refused', async () => {
      const wrong: string[] = [];
      for (const [action, routes] of Object.entries(OUTSIDE) as Array<[Action, Record<string, () => Request>]>) {
        // The district's area is the whole county: nothing of it lies outside.
        for (const who of ACCOUNTS.filter((a) => a.role !== 'district' && may(a.role, action as Action))) {
          for (const [route, build] of Object.entries(routes)) {
            const request = build();
            const res = await send(who, route.split(' ')[0] as Method, request);
            if (res.statusCode !== 404)
              wrong.push(
                `outside: ${action} ${who.role} ${route} ${request.url} → ${res.statusCode} ${res.body.slice(0, 200)}`,
              );
          }
        }
      }
      for (const b of BEYOND) {
        const who = ACCOUNTS.find((a) => a.role === b.role)!;
        expect(may(who.role, b.action), `${b.action} ${b.role}: the role may, within its reach`).toBe(true);
        const request = b.request();
        const res = await send(who, b.route.split(' ')[0] as Method, request);
        if (res.statusCode !== b.status)
          wrong.push(
            `beyond: ${b.action} ${b.role} ${b.route} ${request.url} → ${res.statusCode} ${res.body.slice(0, 200)}`,
          );
      }
      expect(wrong).toEqual([]);
    }, 120_000);

    it('lets the system (the command line) do what the table gives it, and nothing else', () => {
      for (const action of ACTIONS) {
        const run = () => requireAccess(systemScope(), action);
        if (may('system', action)) expect(run, action).not.toThrow();
        else expect(run, action).toThrow(expect.objectContaining({ code: 'TJ_FORBIDDEN', status: 403 }));
      }
    });
  });
}
