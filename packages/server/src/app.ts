/**
 * The HTTP application, without listening: tests call buildApp() and app.inject(). Every route
 * has one zod schema that validates the request and response and feeds the OpenAPI document at
 * /docs. A route is auth → validate → service; scope and audit live in the services.
 */
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
  hasZodFastifySchemaValidationErrors,
} from 'fastify-type-provider-zod';
import { createHash } from 'node:crypto';
import { edgePlugin } from './edge.ts';
import { AppError, ERRORS } from './errors.ts';
import type { Services } from './services.ts';
import { authPlugin, SESSION_COOKIE } from './modules/auth/auth.routes.ts';
import { registryRoutes } from './modules/registry/registry.routes.ts';
import { importRoutes } from './modules/import/import.routes.ts';
import { orgRoutes } from './modules/org/org.routes.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { tagRoutes } from './modules/tags/tags.routes.ts';
import { policyRoutes } from './modules/policies/policies.routes.ts';
import { assessmentRoutes } from './modules/assessment/assessment.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';

/** The production build of the web app (packages/web), served at / when it has been built. */
export const WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface AppOptions {
  services: Services;
  /** Folder of the built web app; default WEB_DIST; null to serve the API only. */
  webDist?: string | null;
  secureCookies?: boolean;
  /** Fastify's logger (pino): false in tests, options in `npm start` so that errors reach the log. */
  logger?: FastifyServerOptions['logger'];
  /** Requests a minute per session (or per address without one); default 1200. */
  rateLimitPerMinute?: number;
}

/** The largest JSON body a route takes unless it says otherwise; imports are multipart with their own limits. */
export const BODY_LIMIT = 1024 * 1024;

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${Math.round(bytes / 1024)} KiB`;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: BODY_LIMIT }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler(async (err, request, reply) => {
    if (err instanceof AppError) {
      // Refused and out-of-area attempts leave a trace (a stranger's only in the server log: an
      // address can send many, and the trail is for what signed-in people did).
      if (err.status === 403 || err.status === 404 || err.status === 401) {
        const detail = { method: request.method, url: request.url.slice(0, 500), code: err.code, address: request.ip };
        if (request.user)
          await options.services.audit
            .record(
              request.user,
              'access.denied',
              `route:${request.routeOptions.url ?? request.url.split('?')[0]}`,
              detail,
            )
            .catch((e: unknown) => request.log.error(e));
        else request.log.warn(detail, 'refused');
      }
      return reply
        .status(err.status)
        .send({ error: { code: err.code, message: err.message, details: err.details ?? null } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        where: `${err.validationContext ?? 'request'}${v.instancePath || ''}`,
        message: v.message,
      }));
      return reply.status(400).send({
        error: {
          code: 'TJ_VALIDATION',
          message: `请求参数不正确：${details.map((d) => `${d.where} ${d.message}`).join('；')}`,
          details,
        },
      });
    }
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      return reply
        .status(503)
        .send({ error: { code: 'TJ_DB_BUSY', message: ERRORS.TJ_DB_BUSY.message, details: null } });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) {
      const limit = request.routeOptions.bodyLimit ?? BODY_LIMIT;
      return reply.status(413).send({
        error: {
          code: 'TJ_BODY_TOO_LARGE',
          message: `请求体过大：此接口至多接受 ${sizeText(limit)}`,
          details: { limit },
        },
      });
    }
    if (status === 429)
      return reply
        .status(429)
        .send({ error: { code: 'TJ_RATE_LIMITED', message: '尝试次数过多，请稍后再试', details: null } });
    if (status && status >= 400 && status < 500) {
      return reply
        .status(status)
        .send({ error: { code: 'TJ_VALIDATION', message: (err as Error).message, details: null } });
    }
    request.log.error(err);
    return reply
      .status(500)
      .send({ error: { code: 'TJ_INTERNAL', message: '服务器内部错误，请稍后重试或联系管理员', details: null } });
  });
  const webDist = options.webDist === undefined ? WEB_DIST : options.webDist;
  const serveWeb = webDist !== null && existsSync(join(webDist, 'index.html'));
  app.setNotFoundHandler((request, reply) => {
    // The web app routes in the browser: any other GET page path gets its index.html.
    // A path with a file extension (an old /assets/*.js after a redeploy) stays a 404.
    const path = request.url.split('?')[0] ?? '';
    if (
      serveWeb &&
      request.method === 'GET' &&
      !path.startsWith('/api/') &&
      !path.startsWith('/docs') &&
      !/\.[a-z0-9]+$/i.test(path)
    ) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send({
      error: { code: 'TJ_NOT_FOUND', message: `没有这个地址：${request.method} ${request.url}`, details: null },
    });
  });
  // First, in onRequest and before any body is read: the rate limit, the session, the edge's gate.
  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: options.rateLimitPerMinute ?? 1200,
    timeWindow: '1 minute',
    // Per session where there is one (many workers of a street office share an address), else per address.
    keyGenerator: (req) => {
      const token = req.cookies[SESSION_COOKIE];
      return token ? `s:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}` : `a:${req.ip}`;
    },
  });
  // Before any route, so that the OpenAPI document lists them all.
  await app.register(swagger, {
    openapi: {
      info: { title: '听见 Tingjian API', version: '0.1.0', description: '政策找人：社区实有人口与精准救助' },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(authPlugin, { services: options.services, secureCookies: options.secureCookies ?? false });
  await app.register(edgePlugin);

  if (serveWeb) await app.register(fastifyStatic, { root: webDist!, wildcard: false, index: ['index.html'] });

  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(multipart, { limits: { fileSize: 512 * 1024 * 1024, files: 1 } });
  await app.register(orgRoutes, { services: options.services });
  await app.register(registryRoutes, { services: options.services });
  await app.register(importRoutes, { services: options.services });
  await app.register(statsRoutes, { services: options.services });
  await app.register(tagRoutes, { services: options.services });
  await app.register(policyRoutes, { services: options.services });
  await app.register(assessmentRoutes, { services: options.services });
  await app.register(auditRoutes, { services: options.services });

  app.get('/api/health', { config: { public: true }, schema: { tags: ['system'] } }, async () => ({
    ok: true,
    database: options.services.database.dialect,
  }));
  return app;
}
