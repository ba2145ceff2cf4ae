/** Configuration from the environment, parsed and validated once at start-up. */
import { z } from 'zod';
import { AppError } from './errors.ts';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  TINGJIAN_DB: z.string().min(1).default('./data/tingjian.db'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  TINGJIAN_COUNTY: z
    .string()
    .regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 county code')
    .default('310105'),
  TINGJIAN_TZ_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(480),
  TINGJIAN_DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  TINGJIAN_DEMO_RESIDENTS: z.coerce.number().int().min(10).max(2_000_000).default(5000),
  TINGJIAN_SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  TINGJIAN_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  /** The server log's level (pino): errors always reach it; `info` adds one line per request. */
  TINGJIAN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug']).default('warn'),
  /** A policy pack file (YAML); default the reference pack in policies/reference/pack.yaml. */
  TINGJIAN_POLICY_PACK: z.string().min(1).optional(),
  /** The Ed25519 key (PEM) that signs audit checkpoints, kept outside the database; default audit-key.pem beside the SQLite file (./data/audit-key.pem), created with mode 0600 when missing. */
  TINGJIAN_AUDIT_KEY: z.string().min(1).optional(),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('TJ_CONFIG', `配置无效 (invalid configuration): ${lines.join('; ')}`);
  }
  return parsed.data;
}
