import { RadarChartOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: 'assessment',
    element: lazy(() => import('./AssessmentPage.tsx')),
    menu: { label: { zh: '需求评估', en: 'Needs assessment' }, icon: RadarChartOutlined, order: 50 },
  },
  // 评估框架: versions, the draft editor, impact preview and publishing (district admins; the server checks again).
  {
    path: 'assessment/framework',
    element: lazy(() => import('./FrameworkEditorPage.tsx')),
    menuParent: 'assessment',
    access: 'framework.edit',
  },
];
