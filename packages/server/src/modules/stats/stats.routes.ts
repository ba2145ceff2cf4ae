import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import { overview } from './stats.schema.ts';

export async function statsRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { stats } = opts.services;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/stats/overview',
    {
      schema: {
        tags: ['stats'],
        summary: '工作台：辖区（或其下一单位）的人口、家庭、年龄结构与困难相关指标',
        querystring: z.object({
          org: z
            .string()
            .regex(/^\d{2,12}$/)
            .optional(),
        }),
        response: { 200: overview, 400: errorSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request) => stats.overview(requireUser(request), request.query.org, opts.services.today()),
  );
}
