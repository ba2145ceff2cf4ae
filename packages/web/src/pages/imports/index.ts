import { CloudUploadOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [
  {
    path: 'imports',
    element: lazy(() => import('./ImportPage.tsx')),
    menu: { label: { zh: '数据导入', en: 'Data import' }, icon: CloudUploadOutlined, order: 80 },
    // Districts and streets import; a committee worker or an adviser would only be refused on upload.
    access: 'import.run',
  },
];
