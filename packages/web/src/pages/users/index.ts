import { SafetyCertificateOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: 'users',
    element: lazy(() => import('./UsersPage.tsx')),
    menu: { label: { zh: '用户与角色', en: 'Users and roles' }, icon: SafetyCertificateOutlined, order: 90 },
    access: 'user.read',
  },
];
