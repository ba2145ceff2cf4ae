import { AimOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: 'leads',
    element: lazy(() => import('./LeadsPage.tsx')),
    menu: { label: { zh: '待主动发现', en: 'Proactive discovery' }, icon: AimOutlined, order: 25 },
  },
];
