/** Helpers over the org hierarchy from GET /api/org/tree (district → street/town → committee). */
import type { OrgNode } from '../api/types.ts';

export function findNode(tree: OrgNode, code: string): OrgNode | undefined {
  if (tree.code === code) return tree;
  for (const c of tree.children) {
    // Codes nest by prefix, so only one branch can hold the unit.
    if (code.startsWith(c.code)) return findNode(c, code);
  }
  return undefined;
}

/** The units from the tree's root down to `code` (empty when it is not in the tree). */
export function pathTo(tree: OrgNode, code: string): OrgNode[] {
  const out: OrgNode[] = [];
  let node: OrgNode | undefined = tree;
  while (node) {
    out.push(node);
    if (node.code === code) return out;
    node = node.children.find((c) => code.startsWith(c.code));
  }
  return [];
}

/** Every unit in the tree, depth first. */
export function flatten(tree: OrgNode): OrgNode[] {
  const out: OrgNode[] = [];
  const walk = (n: OrgNode) => {
    out.push(n);
    n.children.forEach(walk);
  };
  walk(tree);
  return out;
}

/**
 * The tree cut down to units whose name or code contains `text`, with their ancestors (and the
 * whole subtree of a match), plus the keys to expand so every match shows. null when nothing matches.
 */
export function filterTree(tree: OrgNode, text: string): { tree: OrgNode; expanded: string[] } | null {
  const needle = text.trim().toLowerCase();
  if (needle === '') return { tree, expanded: [tree.code] };
  const expanded: string[] = [];
  const visit = (n: OrgNode): OrgNode | null => {
    if (n.name.toLowerCase().includes(needle) || n.code.startsWith(needle)) return n;
    const kept = n.children.map(visit).filter((c): c is OrgNode => c !== null);
    if (kept.length === 0) return null;
    expanded.push(n.code);
    return { ...n, children: kept };
  };
  const result = visit(tree);
  return result ? { tree: result, expanded } : null;
}

/** Whether `code` lies inside the tree (the user's area). */
export function contains(tree: OrgNode, code: string): boolean {
  return findNode(tree, code) !== undefined;
}
