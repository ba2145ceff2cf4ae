/** The area tree: choosing a unit sets the current org for the dashboard and the resident list. */
import { Alert, Button, Empty, Input, Skeleton, Tree, type TreeDataNode } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { OrgNode } from '../api/types.ts';
import { errorMessage } from '../api/client.ts';
import { useT } from './I18nProvider.tsx';
import { shellMessages } from './messages.ts';
import { filterTree, pathTo } from './org-tree.ts';
import { useOrg } from './OrgProvider.tsx';

function toTreeData(node: OrgNode): TreeDataNode {
  return {
    key: node.code,
    title: node.name,
    children: node.children.length > 0 ? node.children.map(toTreeData) : undefined,
    isLeaf: node.children.length === 0,
  };
}

export function AreaNavigator() {
  const t = useT(shellMessages);
  const { tree, treeError, reloadTree, current, setCurrent } = useOrg();
  const [filter, setFilter] = useState('');
  const [expanded, setExpanded] = useState<string[]>([]);

  // Open the root and the way down to the current unit once the tree is there.
  useEffect(() => {
    if (!tree) return;
    setExpanded((keys) => [
      ...new Set([
        ...keys,
        tree.code,
        ...pathTo(tree, current.code)
          .slice(0, -1)
          .map((n) => n.code),
      ]),
    ]);
  }, [tree, current.code]);

  const filtered = useMemo(() => (tree ? filterTree(tree, filter) : null), [tree, filter]);
  const data = useMemo(() => (filtered ? [toTreeData(filtered.tree)] : []), [filtered]);

  return (
    <section className="tj-area-nav" aria-label={t('areaNavigator')}>
      <div className="tj-area-nav-title">{t('areaNavigator')}</div>
      <Input.Search
        size="small"
        allowClear
        placeholder={t('areaFilter')}
        aria-label={t('areaFilter')}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <div className="tj-area-tree">
        {treeError ? (
          <Alert
            type="error"
            showIcon
            title={t('orgTreeFailed')}
            description={errorMessage(treeError)}
            action={
              <Button size="small" onClick={reloadTree}>
                {t('retry')}
              </Button>
            }
          />
        ) : !tree ? (
          <Skeleton active paragraph={{ rows: 6 }} title={false} />
        ) : data.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('areaNoMatch')} />
        ) : (
          <Tree
            blockNode
            treeData={data}
            selectedKeys={[current.code]}
            expandedKeys={filter.trim() ? [...(filtered?.expanded ?? [])] : expanded}
            onExpand={(keys) => {
              if (!filter.trim()) setExpanded(keys.map(String));
            }}
            onSelect={(keys, info) => {
              // Clicking the selected unit again keeps it selected instead of clearing the choice.
              const key = keys[0] ?? info.node.key;
              setCurrent(String(key));
            }}
          />
        )}
      </div>
    </section>
  );
}
