import { TeamOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: 'residents',
    element: lazy(() => import('./ResidentsPage.tsx')),
    menu: { label: { zh: '居民', en: 'Residents' }, icon: TeamOutlined, order: 20 },
  },
  { path: 'residents/:idNumber', element: lazy(() => import('./Resident360Page.tsx')), menuParent: 'residents' },
  { path: 'households/:householdId', element: lazy(() => import('./HouseholdPage.tsx')), menuParent: 'residents' },
];
