import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';

const overview = z.object({
  asOf: z.string(),
  org: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  residents: z.number(), households: z.number(),
  children: z.array(z.object({ code: z.string(), name: z.string(), level: z.string(), residents: z.number(), households: z.number() })),
  agePyramid: z.array(z.object({ band: z.string(), male: z.number(), female: z.number() })),
  facts: z.object({
    disability: z.number(), severeDisability: z.number(), chronicIllness: z.number(), eldersAlone: z.number(), aged80plus: z.number(),
    benefits: z.array(z.object({ code: z.string(), name: z.string(), holders: z.number() })),
  }),
});

export async function statsRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { stats } = opts.services;
  app.withTypeProvider<ZodTypeProvider>().get('/api/stats/overview', {
    schema: {
      tags: ['stats'], summary: '工作台：辖区（或其下一单位）的人口、家庭、年龄结构与困难相关指标',
      querystring: z.object({ org: z.string().regex(/^\d{2,12}$/).optional() }),
      response: { 200: overview, 400: errorSchema, 401: errorSchema, 404: errorSchema },
    },
  }, async (request) => stats.overview(requireUser(request), request.query.org, opts.services.today()));
}
