import { DashboardOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: '',
    element: lazy(() => import('./HomePage.tsx')),
    menu: { label: { zh: '工作台', en: 'Workbench' }, icon: DashboardOutlined, order: 10 },
  },
];
