import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export class MetaRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async registryIsEmpty(): Promise<boolean> {
    return (await this.db.selectFrom('resident').select('id_number').limit(1).executeTakeFirst()) === undefined;
  }
}
