/**
 * Every page of the app, collected from src/pages/<domain>/index.ts. Vite resolves the glob at
 * build time, so a new capability's folder is picked up without editing this file.
 */
import { collectPages } from './page-registry.ts';

export const PAGES = collectPages(import.meta.glob('../pages/*/index.ts', { eager: true }));
