/** Opens the database the way every command does: --db, else TINGJIAN_DB; DATABASE_URL for PostgreSQL. */
import { createServices, loadConfig, openDatabase, type Services } from '@tingjian/server';

export interface DbOptions {
  db?: string;
}

export async function withServices<T>(opts: DbOptions, work: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...process.env, ...(opts.db ? { TINGJIAN_DB: opts.db } : {}) });
  const database = await openDatabase({ sqlitePath: config.TINGJIAN_DB, postgresUrl: config.DATABASE_URL });
  try {
    const services = await createServices(database, config);
    return await work(services);
  } finally {
    await database.close();
  }
}

export function fail(message: string): never {
  process.stderr.write(`错误 (error): ${message}\n`);
  process.exit(2);
}
