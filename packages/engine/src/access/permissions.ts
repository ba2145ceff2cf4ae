/**
 * Who may do what: every action of the workbench, the roles that may do it and how far each
 * role reaches. The server refuses by this table (packages/server/src/modules/auth/access.ts:
 * requireAccess, the first line of each service method) and the web app shows its pages and
 * buttons by it (`may`), so the two cannot disagree. Pure data and small pure functions.
 *
 * Reach: 'area' — a target in the caller's unit or below it (every role's default); 'unit' — a
 * target of the caller's own unit only (a local policy is written by its own unit); 'self' — a
 * target in the area that is the caller's own (a lead assigned to them, an import they ran).
 * The system (the command line and start-up work) has the whole deployment as its area.
 */
import { isWithinScope } from '../org.ts';

/** Every role a caller can have: the four of accounts, and the system. */
export const ACCESS_ROLES = ['system', 'district', 'street', 'committee', 'adviser'] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];
/** The roles of accounts (the system is no account). */
export const ACCOUNT_ROLES = ['district', 'street', 'committee', 'adviser'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export type Reach = 'area' | 'unit' | 'self';

export interface Permission {
  /** What the action is, in Chinese. */
  readonly label: string;
  /** The roles that may. */
  readonly roles: readonly AccessRole[];
  /** A role's reach when it is not 'area'. */
  readonly reach?: Readonly<Partial<Record<AccessRole, Reach>>>;
  /** Why a role that may not is refused (absent: the general 您的角色无权执行此操作). */
  readonly refused?: string;
  /** Why a target beyond a role's reach is refused (absent: as `refused`). */
  readonly beyond?: string;
}

const EVERYONE = ACCESS_ROLES;
const DISTRICT = ['system', 'district'] as const;
const IMPORTERS = ['system', 'district', 'street'] as const;
/** Local policies are a district's or a street's own (not the system's: it has no unit to own one). */
const POLICY_MAKERS = ['district', 'street'] as const;
const FRAMEWORK_REFUSED = '只有区级管理员可以编辑、预览和发布评估框架';
const POLICY_REFUSED = '只有区级管理员和街镇工作人员可以制定本地政策';

export const PERMISSIONS = {
  // The hierarchy and the dashboards.
  'org.read': { label: '查看本辖区的行政区划', roles: EVERYONE },
  'stats.read': { label: '查看工作台统计', roles: EVERYONE },

  // The registry.
  'resident.list': { label: '检索居民', roles: EVERYONE },
  'resident.export': { label: '导出居民列表', roles: EVERYONE },
  'resident.view': { label: '查看居民（360 视图、标签、政策测算）', roles: EVERYONE },
  'household.view': { label: '查看家庭', roles: EVERYONE },

  // Tags and crowd selection.
  'tag.read': { label: '查看标签字典', roles: EVERYONE },
  'tag.write': {
    label: '新建、修改、删除标签',
    roles: ['system', 'district', 'street', 'committee'],
    refused: '救助顾问不能新建或修改标签',
  },
  'tag.assign': { label: '人工标注、撤销标注', roles: EVERYONE },
  'selection.query': { label: '人群圈选', roles: EVERYONE },
  'selection.export': { label: '导出圈选结果', roles: EVERYONE },
  'selection.save': { label: '保存、删除圈选', roles: EVERYONE },

  // Policies, local policies and the worklist.
  'policy.read': { label: '查看政策库与本地政策', roles: EVERYONE },
  'policy.simulate': { label: '模拟政策包调整', roles: DISTRICT, refused: '只有区级管理员可以模拟政策调整' },
  'policy.draft': {
    label: '新建、修改本地政策草稿',
    roles: POLICY_MAKERS,
    reach: { district: 'unit', street: 'unit' },
    refused: POLICY_REFUSED,
  },
  'policy.preview': { label: '试算本地政策草稿', roles: POLICY_MAKERS, refused: POLICY_REFUSED },
  'policy.publish': {
    label: '发布本地政策',
    roles: POLICY_MAKERS,
    reach: { district: 'unit', street: 'unit' },
    refused: POLICY_REFUSED,
  },
  'policy.withdraw': {
    label: '撤回本地政策',
    roles: POLICY_MAKERS,
    reach: { street: 'unit' },
    refused: POLICY_REFUSED,
  },
  'lead.read': { label: '查看线索、覆盖率与救助顾问', roles: EVERYONE },
  'lead.export': { label: '导出线索', roles: EVERYONE },
  'lead.update': {
    label: '处理线索',
    roles: EVERYONE,
    reach: { adviser: 'self' },
    beyond: '救助顾问只能处理分派给自己的线索',
  },

  // The needs assessment.
  'assessment.read': { label: '查看需求评估与入户问卷', roles: EVERYONE },
  'assessment.record': { label: '存档家庭评估', roles: EVERYONE },
  'visit.answer': { label: '录入入户问卷的回答', roles: EVERYONE },
  'framework.edit': { label: '编辑、检查、预览评估框架', roles: DISTRICT, refused: FRAMEWORK_REFUSED },
  'framework.publish': { label: '发布评估框架', roles: DISTRICT, refused: FRAMEWORK_REFUSED },

  // Imports.
  'import.run': { label: '导入数据、下载导入模板', roles: IMPORTERS, refused: '只有区级和街镇工作人员可以导入数据' },
  'import.report': {
    label: '下载导入的拒收报告',
    roles: EVERYONE,
    reach: { street: 'self', committee: 'self', adviser: 'self' },
  },

  // Accounts and the audit trail.
  'user.read': { label: '查看本辖区的账号', roles: DISTRICT },
  'user.create': { label: '新建账号', roles: DISTRICT },
  'user.unlock': { label: '解锁账号', roles: DISTRICT },
  'audit.read': { label: '查看审计日志', roles: DISTRICT },
  'audit.verify': { label: '校验审计日志', roles: DISTRICT },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

const rule = (action: Action): Permission => PERMISSIONS[action];

/** Whether a role may do an action at all (for some target). */
export function may(role: string, action: Action): boolean {
  return (rule(action).roles as readonly string[]).includes(role);
}

/** How far a role reaches in an action, or null when it may not. */
export function reachOf(role: string, action: Action): Reach | null {
  if (!may(role, action)) return null;
  return rule(action).reach?.[role as AccessRole] ?? 'area';
}

/** The roles that may do an action. */
export function rolesFor(action: Action): readonly AccessRole[] {
  return rule(action).roles;
}

export interface AccessCaller {
  readonly username: string;
  readonly role: string;
  /** The unit whose subtree is the caller's area ('' for the whole deployment). */
  readonly orgCode: string;
}

export interface AccessTarget {
  /** The unit the target belongs to; null or undefined when there is no such target. */
  readonly orgCode: string | null | undefined;
  /** The account it is assigned to or was made by (reach 'self'). */
  readonly by?: string | null;
}

/**
 * The answer of the table for one caller: 'refused' — their role may not; 'outside' — there is
 * no such target, or it lies outside their area; 'beyond' — in their area, but past their role's
 * reach (another unit's, someone else's); 'allowed'.
 */
export type AccessAnswer = 'allowed' | 'refused' | 'outside' | 'beyond';

export function accessTo(caller: AccessCaller, action: Action, target?: AccessTarget): AccessAnswer {
  const reach = reachOf(caller.role, action);
  if (reach === null) return 'refused';
  if (target === undefined) return 'allowed';
  const code = target.orgCode;
  if (code === null || code === undefined || !isWithinScope(code, caller.orgCode)) return 'outside';
  if (reach === 'unit' && code !== caller.orgCode) return 'beyond';
  if (reach === 'self' && (target.by ?? null) !== caller.username) return 'beyond';
  return 'allowed';
}

/** The message of a refusal ('refused' or 'beyond'), or null for the general one. */
export function refusalOf(action: Action, answer: 'refused' | 'beyond'): string | null {
  const r = rule(action);
  return (answer === 'beyond' ? (r.beyond ?? r.refused) : r.refused) ?? null;
}
