/** SQL of the tag dictionary, manual assignments and saved selections. */
import type { Kysely, Transaction } from 'kysely';
import type { DB, TagTable } from '../../db/schema.ts';

export type TagRow = Omit<TagTable, 'id'> & { id: number };
export type NewTag = Omit<TagTable, 'id'>;

export interface AssignmentRow {
  id: number;
  tag_id: number;
  id_number: string;
  valid_from: string | null;
  valid_to: string | null;
  reason: string;
  evidence: string | null;
  assigned_by: string;
  assigned_at: string;
}

export class TagRepository {
  constructor(private readonly db: Kysely<DB>) {}

  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async all(): Promise<TagRow[]> {
    return (await this.db.selectFrom('tag').selectAll().orderBy('owner_code').orderBy('id').execute()) as TagRow[];
  }

  async get(id: number): Promise<TagRow | undefined> {
    return (await this.db.selectFrom('tag').selectAll().where('id', '=', id).executeTakeFirst()) as TagRow | undefined;
  }

  async insert(tag: NewTag, trx: Transaction<DB> | Kysely<DB> = this.db): Promise<number> {
    const row = await trx.insertInto('tag').values(tag).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async insertMany(tags: NewTag[]): Promise<void> {
    for (let i = 0; i < tags.length; i += 100)
      await this.db
        .insertInto('tag')
        .values(tags.slice(i, i + 100))
        .execute();
  }

  async update(
    id: number,
    patch: Partial<Pick<TagTable, 'category' | 'description' | 'owner_name' | 'rule' | 'updated_by' | 'updated_at'>>,
    trx: Transaction<DB>,
  ): Promise<void> {
    await trx.updateTable('tag').set(patch).where('id', '=', id).execute();
  }

  async delete(id: number, trx: Transaction<DB>): Promise<void> {
    await trx.deleteFrom('tag').where('id', '=', id).execute();
  }

  /** Assignments in force (not removed) of every manual tag, for building indexes. */
  async activeAssignments(): Promise<Array<Pick<AssignmentRow, 'tag_id' | 'id_number' | 'valid_from' | 'valid_to'>>> {
    return this.db
      .selectFrom('tag_assignment')
      .select(['tag_id', 'id_number', 'valid_from', 'valid_to'])
      .where('removed_at', 'is', null)
      .orderBy('id_number')
      .execute();
  }

  async activeAssignmentsOf(
    tagId: number,
  ): Promise<Array<Pick<AssignmentRow, 'tag_id' | 'id_number' | 'valid_from' | 'valid_to'>>> {
    return this.db
      .selectFrom('tag_assignment')
      .select(['tag_id', 'id_number', 'valid_from', 'valid_to'])
      .where('tag_id', '=', tagId)
      .where('removed_at', 'is', null)
      .execute();
  }

  /** A resident's manual assignments in force, with provenance. */
  async assignmentsOfPerson(idNumber: string): Promise<AssignmentRow[]> {
    return this.db
      .selectFrom('tag_assignment')
      .select([
        'id',
        'tag_id',
        'id_number',
        'valid_from',
        'valid_to',
        'reason',
        'evidence',
        'assigned_by',
        'assigned_at',
      ])
      .where('id_number', '=', idNumber)
      .where('removed_at', 'is', null)
      .orderBy('id')
      .execute();
  }

  async assign(rows: Array<Omit<AssignmentRow, 'id'>>, trx: Transaction<DB>): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('tag_assignment')
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, removed_by: null, removed_at: null })))
        .execute();
    }
  }

  /** Marks a person's assignments of a tag removed (kept for the history). Returns how many. */
  async unassign(tagId: number, idNumber: string, by: string, at: string, trx: Transaction<DB>): Promise<number> {
    const r = await trx
      .updateTable('tag_assignment')
      .set({ removed_by: by, removed_at: at })
      .where('tag_id', '=', tagId)
      .where('id_number', '=', idNumber)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async removeAllOf(tagId: number, by: string, at: string, trx: Transaction<DB>): Promise<void> {
    await trx
      .updateTable('tag_assignment')
      .set({ removed_by: by, removed_at: at })
      .where('tag_id', '=', tagId)
      .where('removed_at', 'is', null)
      .execute();
  }

  async savedSelections(orgCode: string) {
    return this.db
      .selectFrom('saved_selection')
      .selectAll()
      .where('org_code', '=', orgCode)
      .orderBy('id', 'desc')
      .execute();
  }

  async saveSelection(
    row: {
      name: string;
      expression: string;
      rank_tags: string;
      org_code: string;
      created_by: string;
      created_at: string;
    },
    trx: Transaction<DB>,
  ): Promise<number> {
    const r = await trx.insertInto('saved_selection').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async getSavedSelection(id: number) {
    return this.db.selectFrom('saved_selection').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async deleteSavedSelection(id: number, trx: Transaction<DB>): Promise<void> {
    await trx.deleteFrom('saved_selection').where('id', '=', id).execute();
  }

  /** Names and places of residents, for result lists (the caller has already scoped the ids). */
  async residentsByIds(ids: readonly string[]) {
    if (ids.length === 0) return [];
    const out = [];
    for (let i = 0; i < ids.length; i += 500) {
      out.push(
        ...(await this.db
          .selectFrom('resident')
          .select(['id_number', 'name', 'gender', 'birth_date', 'committee_code', 'household_id', 'phone'])
          .where('id_number', 'in', ids.slice(i, i + 500))
          .execute()),
      );
    }
    return out;
  }
}

/** A change to a resident's tags, for the resident's change history (the 360 view). */
export async function recordTagChange(
  trx: Transaction<DB>,
  row: {
    at: string;
    actor: string;
    idNumber: string;
    tagId: number;
    action: 'tag.assign' | 'tag.unassign';
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await trx
    .insertInto('change_log')
    .values({
      at: row.at,
      actor: row.actor,
      source: 'manual',
      entity: 'tag_assignment',
      entity_key: `${row.tagId}:${row.idNumber}`,
      id_number: row.idNumber,
      action: row.action,
      detail: JSON.stringify(row.detail),
    })
    .execute();
}
