import { RadarChartOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: 'assessment',
    element: lazy(() => import('./AssessmentPage.tsx')),
    menu: { label: { zh: '需求评估', en: 'Needs assessment' }, icon: RadarChartOutlined, order: 50 },
  },
];
