/** The dashboard's response schema: validation, OpenAPI and the TypeScript type (server and web) from one place. */
import { z } from 'zod';

export const overview = z.object({
  asOf: z.string(),
  org: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  residents: z.number(),
  households: z.number(),
  children: z.array(
    z.object({ code: z.string(), name: z.string(), level: z.string(), residents: z.number(), households: z.number() }),
  ),
  agePyramid: z.array(z.object({ band: z.string(), male: z.number(), female: z.number() })),
  facts: z.object({
    disability: z.number(),
    severeDisability: z.number(),
    chronicIllness: z.number(),
    eldersAlone: z.number(),
    aged80plus: z.number(),
    benefits: z.array(z.object({ code: z.string(), name: z.string(), holders: z.number() })),
  }),
});

export type Overview = z.infer<typeof overview>;
