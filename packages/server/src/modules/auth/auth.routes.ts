import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { SessionUser } from './auth.service.ts';
import { ROLE_LABELS, ROLES } from './scope.ts';

export const SESSION_COOKIE = 'tj_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

/** The signed-in user, or 401. Services take it as their scope. */
export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('TJ_UNAUTHENTICATED');
  return request.user;
}

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});

const userSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  roleLabel: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  orgPath: z.array(z.object({ code: z.string(), name: z.string() })),
});

async function plugin(app: FastifyInstance, opts: { services: Services; secureCookies: boolean }) {
  const { auth, org } = opts.services;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const describe = (u: SessionUser) => ({
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    roleLabel: ROLE_LABELS[u.role],
    orgCode: u.orgCode,
    orgName: org.get(u.orgCode)?.name ?? u.orgCode,
    orgPath: org.path(u.orgCode).map((x) => ({ code: x.code, name: x.name })),
  });

  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.user = token ? await auth.userForToken(token) : null;
  });

  r.post(
    '/api/session',
    {
      // Per address here, before the body is read; per account (with growing delays and a lock) in the service.
      config: {
        public: true,
        rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => `login:${req.ip}` },
      },
      bodyLimit: 4096,
      schema: {
        tags: ['session'],
        summary: '登录（设置 httpOnly 会话 Cookie）',
        body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
        response: { 200: z.object({ user: userSchema }), 401: errorSchema },
      },
    },
    async (request, reply) => {
      const { token, user, expiresAt } = await auth.login(request.body.username, request.body.password, request.ip);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: opts.secureCookies,
        path: '/',
        expires: new Date(expiresAt),
      });
      return { user: describe(user) };
    },
  );

  r.get(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: '当前用户',
        response: { 200: z.object({ user: userSchema }), 401: errorSchema },
      },
    },
    async (request) => ({ user: describe(requireUser(request)) }),
  );

  r.delete(
    '/api/session',
    {
      config: { public: true },
      schema: { tags: ['session'], summary: '退出登录', response: { 200: z.object({ ok: z.boolean() }) } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  r.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: '本辖区的账号（区级管理员）',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                username: z.string(),
                displayName: z.string(),
                role: z.string(),
                orgCode: z.string(),
                orgName: z.string(),
                locked: z.boolean(),
                failedLogins: z.number(),
              }),
            ),
          }),
          401: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (request) => ({ items: await auth.listUsers(requireUser(request)) }),
  );

  r.post(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: '新建账号（区级管理员）',
        body: z.object({
          username: z.string().regex(/^[a-zA-Z0-9._-]{2,64}$/),
          displayName: z.string().min(1).max(100),
          password: z.string().min(8).max(200),
          role: z.enum(ROLES),
          orgCode: z.string().regex(/^\d{6,12}$/),
        }),
        response: { 201: z.object({ ok: z.boolean() }), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      await auth.createUser(requireUser(request), request.body);
      return reply.status(201).send({ ok: true });
    },
  );

  r.post(
    '/api/users/:username/unlock',
    {
      schema: {
        tags: ['users'],
        summary: '解除账号因多次登录失败的锁定（区级管理员）',
        params: z.object({ username: z.string().min(1).max(64) }),
        response: { 200: z.object({ ok: z.boolean() }), 401: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      await auth.unlockUser(requireUser(request), request.params.username);
      return { ok: true };
    },
  );
}

export const authPlugin = fp(plugin, { name: 'auth' });
