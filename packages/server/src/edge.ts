/**
 * What every request meets before a route sees it, in `onRequest` — before any body is read or
 * parsed: the rate limit (registered first in app.ts), the session (auth plugin), then this gate:
 * a stranger is refused unless the route is public, a state-changing request from another site
 * is refused, and every answer carries the headers that keep a browser from framing the app,
 * sniffing types, leaking the address, or storing personal data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a session (login, health, the residents' self-screener). */
    public?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The app's own bundle and Ant Design's CSS-in-JS (inline style elements); nothing from
 * elsewhere, and no framing. The API documentation's page (swagger-ui) runs an inline script.
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");

/** Whether the request names another site as its origin (a browser's cross-site form or fetch). */
export function isCrossOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site') return true;
  const origin = request.headers.origin;
  // No Origin: not a browser's cross-site request (the command line, curl, server to server).
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true;
  }
  const forwarded = request.headers['x-forwarded-host'];
  // URL drops a scheme's default port from the origin; Host may still carry it.
  const own = [
    request.headers.host,
    ...(typeof forwarded === 'string' ? forwarded.split(',').map((h) => h.trim()) : []),
  ].map((h) => h?.replace(/:(80|443)$/, ''));
  return !own.includes(host);
}

async function plugin(app: FastifyInstance) {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const docs = path === '/docs' || path.startsWith('/docs/');
    const api = path.startsWith('/api/');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('content-security-policy', docs ? DOCS_CSP : CSP);
    if (api || docs) reply.header('cache-control', 'no-store');
    if (UNSAFE.has(request.method) && isCrossOrigin(request)) throw new AppError('TJ_CROSS_ORIGIN');
    if ((api || docs) && !request.user && request.routeOptions.config?.public !== true)
      throw new AppError('TJ_UNAUTHENTICATED');
  });
}

/** Registered after the rate limit and the auth plugin, whose onRequest hooks run first. */
export const edgePlugin = fp(plugin, { name: 'edge', dependencies: ['auth'] });
