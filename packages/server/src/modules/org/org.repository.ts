import type { Kysely } from 'kysely';
import type { OrgUnit, OrgLevel } from '@tingjian/engine';
import type { DB } from '../../db/schema.ts';

export class OrgRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async upsertMany(units: readonly OrgUnit[]): Promise<void> {
    for (let i = 0; i < units.length; i += 200) {
      const chunk = units
        .slice(i, i + 200)
        .map((u) => ({ code: u.code, name: u.name, level: u.level, parent_code: u.parentCode }));
      await this.db
        .insertInto('org_unit')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            level: eb.ref('excluded.level'),
            parent_code: eb.ref('excluded.parent_code'),
          })),
        )
        .execute();
    }
  }

  async countUnder(prefix: string): Promise<number> {
    const r = await this.db
      .selectFrom('org_unit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('code', '>=', prefix)
      .where('code', '<', `${prefix}~`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async all(): Promise<OrgUnit[]> {
    const rows = await this.db.selectFrom('org_unit').selectAll().orderBy('code').execute();
    return rows.map((r) => ({ code: r.code, name: r.name, level: r.level as OrgLevel, parentCode: r.parent_code }));
  }
}
