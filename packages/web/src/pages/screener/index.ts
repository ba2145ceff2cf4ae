/**
 * The public self-screener lives outside the signed-in app: no page of the shell (hence no
 * `pages`); AppRoutes mounts `ScreenerPage` at /screener next to /login. Lazy, so workers do not
 * load it and residents load nothing of the workbench.
 */
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page-registry.ts';

export const pages: PageDefinition[] = [];

export const SCREENER_PATH = '/screener';
export const ScreenerPage = lazy(() => import('./ScreenerPage.tsx'));
