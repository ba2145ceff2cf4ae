import { FunnelPlotOutlined, TagsOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: 'selections',
    element: lazy(() => import('./SelectionPage.tsx')),
    menu: { label: { zh: '人群圈选', en: 'Crowd selection' }, icon: FunnelPlotOutlined, order: 30 },
  },
  {
    path: 'tags',
    element: lazy(() => import('./TagDictionaryPage.tsx')),
    menu: { label: { zh: '标签字典', en: 'Tag dictionary' }, icon: TagsOutlined, order: 35 },
  },
  { path: 'tags/:id', element: lazy(() => import('./TagDetailPage.tsx')), menuParent: 'tags' },
];
