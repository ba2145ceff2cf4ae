/** The audit page's filters: kept in the address (so a link can ask "who looked at this person"), turned into the query. */
import type { AuditAction } from '@tingjian/server/contract';
import type { Entry } from '../../app/i18n.ts';

export interface AuditFilters {
  readonly idNumber: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  /** Days (YYYY-MM-DD) in the browser's time zone, both inclusive. */
  readonly from: string | null;
  readonly to: string | null;
  readonly page: number;
  readonly pageSize: number;
}

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_FILTERS: AuditFilters = {
  idNumber: '',
  actor: '',
  action: '',
  target: '',
  from: null,
  to: null,
  page: 1,
  pageSize: 20,
};
export const ID_NUMBER = /^\d{17}[\dXx]$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  const day = (k: string) => {
    const v = search.get(k);
    return v && DAY.test(v) ? v : null;
  };
  const int = (k: string, d: number, ok: (n: number) => boolean) => {
    const n = Number(search.get(k));
    return Number.isInteger(n) && ok(n) ? n : d;
  };
  const id = (search.get('idNumber') ?? '').trim();
  return {
    idNumber: ID_NUMBER.test(id) ? id.toUpperCase() : '',
    actor: (search.get('actor') ?? '').trim(),
    action: (search.get('action') ?? '').trim(),
    target: (search.get('target') ?? '').trim(),
    from: day('from'),
    to: day('to'),
    page: int('page', 1, (n) => n >= 1),
    pageSize: int('pageSize', 20, (n) => (PAGE_SIZES as readonly number[]).includes(n)),
  };
}

export function filtersToSearch(f: AuditFilters): URLSearchParams {
  const s = new URLSearchParams();
  for (const k of ['idNumber', 'actor', 'action', 'target', 'from', 'to'] as const) if (f[k]) s.set(k, f[k]!);
  if (f.page !== 1) s.set('page', String(f.page));
  if (f.pageSize !== 20) s.set('pageSize', String(f.pageSize));
  return s;
}

export function hasFilters(f: AuditFilters): boolean {
  return Boolean(f.idNumber || f.actor || f.action || f.target || f.from || f.to);
}

/** A local day's start as an instant with its offset, e.g. 2026-12-01T00:00:00+08:00 (the server compares instants). */
export function dayStart(day: string, offsetMinutes = -new Date(`${day}T00:00:00`).getTimezoneOffset()): string {
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${day}T00:00:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The request for a page. `maxId`: the newest event of the first page, so that later pages show
 * the same list while new events arrive (each look at the log is one).
 */
export function listQuery(f: AuditFilters, maxId: number | null) {
  return {
    idNumber: f.idNumber || undefined,
    actor: f.actor || undefined,
    action: f.action || undefined,
    target: f.target || undefined,
    from: f.from ? dayStart(f.from) : undefined,
    to: f.to ? dayStart(nextDay(f.to)) : undefined,
    maxId: f.page > 1 && maxId !== null ? maxId : undefined,
    limit: f.pageSize,
    offset: (f.page - 1) * f.pageSize,
  };
}

/** What the services record, by name: one for each of the server's AuditAction (an unknown action shows its code). */
export const ACTIONS: Readonly<Record<AuditAction, Entry>> = {
  'resident.view': { zh: '查看居民360视图', en: 'Viewed a resident' },
  'residents.list': { zh: '检索居民列表', en: 'Listed residents' },
  'residents.export': { zh: '导出居民列表', en: 'Exported residents' },
  'household.view': { zh: '查看家庭', en: 'Viewed a household' },
  'resident.tags': { zh: '查看居民标签', en: 'Viewed a resident\u2019s tags' },
  'resident.eligibility': { zh: '查看政策资格', en: 'Viewed eligibility' },
  'leads.list': { zh: '查看线索', en: 'Listed leads' },
  'leads.export': { zh: '导出线索', en: 'Exported leads' },
  'lead.update': { zh: '更新线索状态', en: 'Updated a lead' },
  'selection.query': { zh: '人群圈选', en: 'Selected residents' },
  'selection.export': { zh: '导出圈选结果', en: 'Exported a selection' },
  'selection.save': { zh: '保存圈选', en: 'Saved a selection' },
  'selection.delete': { zh: '删除圈选', en: 'Deleted a selection' },
  'tag.create': { zh: '新建标签', en: 'Created a tag' },
  'tag.update': { zh: '修改标签', en: 'Changed a tag' },
  'tag.delete': { zh: '删除标签', en: 'Deleted a tag' },
  'tag.assign': { zh: '批量标注', en: 'Tagged residents' },
  'tag.unassign': { zh: '取消标注', en: 'Untagged a resident' },
  'household.assessment': { zh: '查看家庭评估', en: 'Viewed an assessment' },
  'assessment.households': { zh: '查看评估家庭列表', en: 'Listed assessed households' },
  'assessment.record': { zh: '保存评估结果', en: 'Stored an assessment' },
  'household.questionnaire': { zh: '查看入户问卷', en: 'Viewed a questionnaire' },
  'household.visit_answers': { zh: '录入入户回答', en: 'Entered visit answers' },
  'assessment.framework.draft': { zh: '新建评估框架草稿', en: 'Drafted a framework' },
  'assessment.framework.update': { zh: '修改评估框架', en: 'Changed a framework' },
  'assessment.framework.preview': { zh: '预览评估框架', en: 'Previewed a framework' },
  'assessment.framework.publish': { zh: '发布评估框架', en: 'Published a framework' },
  'local_policy.create': { zh: '新建本地政策', en: 'Created a local policy' },
  'local_policy.save_draft': { zh: '保存本地政策草稿', en: 'Saved a local policy draft' },
  'local_policy.simulate': { zh: '试算本地政策', en: 'Simulated a local policy' },
  'local_policy.publish': { zh: '发布本地政策', en: 'Published a local policy' },
  'local_policy.withdraw': { zh: '撤回本地政策', en: 'Withdrew a local policy' },
  'policy.simulate': { zh: '政策试算', en: 'Simulated the pack' },
  import: { zh: '导入数据', en: 'Imported data' },
  'import.report': { zh: '下载拒收报告', en: 'Downloaded a rejection report' },
  login: { zh: '登录', en: 'Signed in' },
  'login.failed': { zh: '登录失败', en: 'Failed sign-in' },
  'login.refused': { zh: '登录被拒（等待或锁定中）', en: 'Sign-in refused' },
  'user.create': { zh: '新建账号', en: 'Created an account' },
  'user.unlock': { zh: '解锁账号', en: 'Unlocked an account' },
  'access.denied': { zh: '访问被拒', en: 'Access refused' },
  'audit.read': { zh: '查看审计日志', en: 'Read the audit log' },
  'audit.verify': { zh: '校验审计日志', en: 'Verified the audit log' },
  'audit.checkpoint': { zh: '签审计检查点', en: 'Signed a checkpoint' },
};

/** The label of a stored action, or undefined for one this version does not know. */
export function actionLabel(action: string): Entry | undefined {
  return Object.hasOwn(ACTIONS, action) ? ACTIONS[action as AuditAction] : undefined;
}

/** Choices for the action filter: every known action, and one prefix per group ('resident.*'). */
export function actionChoices(lang: 'zh' | 'en'): Array<{ value: string; label: string }> {
  const exact = Object.entries(ACTIONS).map(([value, e]) => ({ value, label: `${e[lang]}（${value}）` }));
  const groups = [
    ...new Set(
      Object.keys(ACTIONS)
        .filter((a) => a.includes('.'))
        .map((a) => a.split('.')[0]!),
    ),
  ];
  const all = { zh: '全部', en: 'all' }[lang];
  return [...groups.map((g) => ({ value: `${g}.*`, label: `${g}.*（${all}）` })), ...exact];
}

/** Where a target can be opened in the workbench. */
export function targetLink(target: string): string | null {
  const [kind, ...rest] = target.split(':');
  const key = rest.join(':');
  if (kind === 'resident' && ID_NUMBER.test(key)) return `/residents/${key}`;
  if (kind === 'household' && key) return `/households/${encodeURIComponent(key)}`;
  return null;
}

/** The detail on one line, for the table (the whole of it in the expanded row). */
export function detailLine(detail: unknown, max = 160): string {
  if (detail === null || detail === undefined) return '';
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  if (text === '{}') return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
