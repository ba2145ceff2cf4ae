import { BookOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: 'policies',
    element: lazy(() => import('./PoliciesPage.tsx')),
    menu: { label: { zh: '政策库', en: 'Policies' }, icon: BookOutlined, order: 40 },
  },
];
