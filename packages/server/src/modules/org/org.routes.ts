import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import { orgNode } from '../registry/registry.schema.ts';

export async function orgRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { org } = opts.services;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/org/tree',
    {
      schema: {
        tags: ['org'],
        summary: '本辖区的行政区划树（区 → 街镇 → 居委会）',
        response: { 200: orgNode, 401: errorSchema },
      },
    },
    async (request) => org.tree(requireUser(request)),
  );
}
