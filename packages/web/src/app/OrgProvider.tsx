/**
 * The area tree of the signed-in user and the "current org": the unit chosen in the area
 * navigator, which filters the dashboard and the resident list (`org=CODE`). null = the user's
 * whole area. Kept per user in sessionStorage so that a reload keeps the choice.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { org as orgApi } from '../api/endpoints.ts';
import type { OrgNode, SessionUser } from '../api/types.ts';
import { useApi } from '../api/useApi.ts';
import { contains, findNode } from './org-tree.ts';

interface OrgValue {
  tree: OrgNode | undefined;
  treeError: unknown;
  reloadTree: () => void;
  /** The chosen unit's code, or null for the user's whole area: pass as `org=`. */
  currentCode: string | null;
  /** The chosen unit (the user's own unit when none is chosen), once the tree has loaded. */
  current: { code: string; name: string; level: string };
  setCurrent: (code: string | null) => void;
}

const OrgContext = createContext<OrgValue | null>(null);

function storageKey(user: SessionUser) {
  return `tj.org.${user.username}`;
}

function readSaved(user: SessionUser): string | null {
  try {
    return sessionStorage.getItem(storageKey(user));
  } catch {
    return null;
  }
}

export function OrgProvider({ user, children }: { user: SessionUser; children: ReactNode }) {
  const { data: tree, error: treeError, reload: reloadTree } = useApi((_signal) => orgApi.tree(), [user.username]);
  const [currentCode, setCode] = useState<string | null>(() => readSaved(user));

  // A saved unit that is no longer in the user's area (e.g. another account) is dropped.
  useEffect(() => {
    if (tree && currentCode !== null && (!contains(tree, currentCode) || currentCode === tree.code)) setCode(null);
  }, [tree, currentCode]);

  const setCurrent = useCallback(
    (code: string | null) => {
      const next = code === user.orgCode ? null : code;
      setCode(next);
      try {
        if (next === null) sessionStorage.removeItem(storageKey(user));
        else sessionStorage.setItem(storageKey(user), next);
      } catch {
        /* storage unavailable: the choice lasts until reload */
      }
    },
    [user],
  );

  const current = useMemo(() => {
    const node = tree && currentCode ? findNode(tree, currentCode) : undefined;
    if (node) return { code: node.code, name: node.name, level: node.level };
    if (tree) return { code: tree.code, name: tree.name, level: tree.level };
    return { code: user.orgCode, name: user.orgName, level: '' };
  }, [tree, currentCode, user]);

  const value = useMemo(
    () => ({ tree, treeError, reloadTree, currentCode, current, setCurrent }),
    [tree, treeError, reloadTree, currentCode, current, setCurrent],
  );
  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

export function useOrg(): OrgValue {
  const value = useContext(OrgContext);
  if (!value) throw new Error('useOrg outside OrgProvider');
  return value;
}
