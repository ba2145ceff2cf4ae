/** Rules of the new-account form, as the server applies them (auth.routes.ts, auth.service.ts). */
import type { OrgNode, Role } from '../../api/types.ts';

/** The org level an account of each role is bound to: an adviser works for one committee. */
export const ROLE_LEVEL: Readonly<Record<Role, 'district' | 'street' | 'committee'>> = {
  district: 'district',
  street: 'street',
  committee: 'committee',
  adviser: 'committee',
};

export const USERNAME_PATTERN = /^[a-zA-Z0-9._-]{2,64}$/;
export const PASSWORD_MIN = 8;

export interface OrgChoice {
  value: string;
  title: string;
  /** Only units of the role's level can be chosen; the others stay visible to find them by. */
  selectable: boolean;
  disabled: boolean;
  children?: OrgChoice[];
}

/** The tree for the org picker, with only the units of `role`'s level choosable; branches without any are dropped. */
export function orgChoices(tree: OrgNode, role: Role | undefined): OrgChoice[] {
  const level = role ? ROLE_LEVEL[role] : undefined;
  const visit = (n: OrgNode): OrgChoice | null => {
    const ok = level === undefined || n.level === level;
    const children = n.children.map(visit).filter((c): c is OrgChoice => c !== null);
    if (!ok && children.length === 0) return null;
    return {
      value: n.code,
      title: `${n.name}（${n.code}）`,
      selectable: ok,
      disabled: !ok,
      ...(children.length > 0 ? { children } : {}),
    };
  };
  const root = visit(tree);
  return root ? [root] : [];
}

/** Whether `code` is a unit of the role's level in the tree (e.g. after the role changed). */
export function orgFitsRole(tree: OrgNode, role: Role, code: string | undefined): boolean {
  if (!code) return false;
  const level = ROLE_LEVEL[role];
  const find = (n: OrgNode): OrgNode | undefined => (n.code === code ? n : n.children.map(find).find(Boolean));
  return find(tree)?.level === level;
}
