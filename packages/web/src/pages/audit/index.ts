import { AuditOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: 'audit',
    element: lazy(() => import('./AuditPage.tsx')),
    menu: { label: { zh: '审计日志', en: 'Audit log' }, icon: AuditOutlined, order: 95 },
    access: 'audit.read',
  },
];
