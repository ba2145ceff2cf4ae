/** One set of migrations for SQLite and PostgreSQL. Never edit a shipped migration: add one. */
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { ENTITY_INDEXES } from './indexes.ts';
import { chainStoredRows, LEGACY_LAST_ID_KEY } from '../modules/audit/audit.chain.ts';

export type Dialect = 'sqlite' | 'postgres';

function m001(dialect: Dialect): Migration {
  // SQLite's INTEGER PRIMARY KEY is the rowid (auto-assigned); PostgreSQL wants an identity column.
  const autoId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('org_unit')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('parent_code', 'text')
        .execute();
      // Keys of the registry tables are unique indexes (db/indexes.ts), not primary keys, so that a
      // first bulk load can build them once at the end instead of inserting into them at random.
      await db.schema
        .createTable('household')
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('committee_code', 'text', (c) => c.notNull())
        .addColumn('address', 'text')
        .addColumn('housing_type', 'text')
        .addColumn('housing_area_m2', 'double precision')
        .addColumn('financial_assets_yuan', 'double precision')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_run', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('resident')
        .addColumn('id_number', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_pinyin', 'text', (c) => c.notNull())
        .addColumn('name_initials', 'text', (c) => c.notNull())
        .addColumn('gender', 'text', (c) => c.notNull())
        .addColumn('birth_date', 'text', (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('committee_code', 'text', (c) => c.notNull())
        .addColumn('relation_to_head', 'text')
        .addColumn('hukou', 'text')
        .addColumn('marital_status', 'text')
        .addColumn('disability_grade', 'integer')
        .addColumn('disability_category', 'text')
        .addColumn('monthly_income_yuan', 'double precision')
        .addColumn('employment', 'text')
        .addColumn('school_stage', 'text')
        .addColumn('labor_capacity', 'text')
        .addColumn('chronic_illness', 'text')
        .addColumn('medical_oop_12m_yuan', 'double precision')
        .addColumn('phone', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_run', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      for (const table of ['relation', 'enrollment', 'identity_tag'] as const) {
        let t = db.schema
          .createTable(table)
          // The whole-row key: unique by an index (db/indexes.ts) that bulk loads drop and rebuild.
          .addColumn('row_key', 'text', (c) => c.notNull())
          .addColumn('id_number', 'text', (c) => c.notNull());
        if (table === 'relation') {
          t = t
            .addColumn('relative_name', 'text')
            .addColumn('relative_id_number', 'text')
            .addColumn('relation', 'text', (c) => c.notNull())
            .addColumn('able_to_support', 'text');
        } else if (table === 'enrollment') {
          t = t
            .addColumn('benefit_code', 'text', (c) => c.notNull())
            .addColumn('start_date', 'text', (c) => c.notNull())
            .addColumn('end_date', 'text');
        } else {
          t = t.addColumn('tag', 'text', (c) => c.notNull());
        }
        t = t.addColumn('created_at', 'text', (c) => c.notNull()).addColumn('created_run', 'integer');
        await t.execute();
      }
      for (const ix of ENTITY_INDEXES) {
        const create = db.schema
          .createIndex(ix.name)
          .on(ix.table)
          .columns([...ix.columns]);
        await (ix.unique ? create.unique() : create).execute();
      }
      await db.schema
        .createTable('change_log')
        .addColumn('id', 'integer', autoId)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_key', 'text', (c) => c.notNull())
        .addColumn('id_number', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('change_log_person').on('change_log').columns(['id_number', 'id']).execute();
      await db.schema
        .createIndex('change_log_entity')
        .on('change_log')
        .columns(['entity', 'entity_key', 'id'])
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'integer', autoId)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('app_user')
        .addColumn('username', 'text', (c) => c.primaryKey())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('org_code', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('session')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('import_run')
        .addColumn('id', 'integer', autoId)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('source_name', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of [
        'meta',
        'import_run',
        'session',
        'app_user',
        'audit_log',
        'change_log',
        'identity_tag',
        'enrollment',
        'relation',
        'resident',
        'household',
        'org_unit',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}

/** The tag dictionary, manual tag assignments with provenance, and saved crowd selections. */
function m002(dialect: Dialect): Migration {
  const autoId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('tag')
        .addColumn('id', 'integer', autoId)
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('owner_code', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('owner_name', 'text')
        .addColumn('rule', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tag_owner_code').on('tag').columns(['owner_code', 'code']).unique().execute();
      await db.schema
        .createTable('tag_assignment')
        .addColumn('id', 'integer', autoId)
        .addColumn('tag_id', 'integer', (c) => c.notNull())
        .addColumn('id_number', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text')
        .addColumn('valid_to', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text')
        .addColumn('assigned_by', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'text', (c) => c.notNull())
        .addColumn('removed_by', 'text')
        .addColumn('removed_at', 'text')
        .execute();
      await db.schema.createIndex('tag_assignment_tag').on('tag_assignment').columns(['tag_id', 'id_number']).execute();
      await db.schema.createIndex('tag_assignment_person').on('tag_assignment').columns(['id_number']).execute();
      await db.schema
        .createTable('saved_selection')
        .addColumn('id', 'integer', autoId)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('expression', 'text', (c) => c.notNull())
        .addColumn('rank_tags', 'text', (c) => c.notNull())
        .addColumn('org_code', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['saved_selection', 'tag_assignment', 'tag']) await db.schema.dropTable(t).execute();
    },
  };
}

/** The population columns as one binary image (engine codec), rewritten after each import. */
function m003(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('population_image')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addColumn('written_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('population_image').execute();
    },
  };
}

/** The leads worklist: every status change of a finding (lead or review) of a person and policy. */
function m004(dialect: Dialect): Migration {
  const autoId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('lead_event')
        .addColumn('id', 'integer', autoId)
        .addColumn('id_number', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('assignee', 'text')
        .addColumn('reason', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('lead_event_key')
        .on('lead_event')
        .columns(['id_number', 'policy', 'kind', 'id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('lead_event').execute();
    },
  };
}

/** Stored household assessments: each keeps its framework version and date, never rewritten. */
function m005(dialect: Dialect): Migration {
  const autoId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('assessment_record')
        .addColumn('id', 'integer', autoId)
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('as_of', 'text', (c) => c.notNull())
        .addColumn('framework_code', 'text', (c) => c.notNull())
        .addColumn('framework_version', 'integer', (c) => c.notNull())
        .addColumn('score', 'double precision', (c) => c.notNull())
        .addColumn('band', 'text', (c) => c.notNull())
        .addColumn('deprived', 'text', (c) => c.notNull())
        .addColumn('unknown', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('assessment_record_household')
        .on('assessment_record')
        .columns(['household_id', 'id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('assessment_record').execute();
    },
  };
}

/**
 * Local policies of a district or street, versioned: a draft is edited until published; a
 * published version is never rewritten (editing one starts a new draft version), and withdrawing
 * only marks it. In effect: the latest version ever published, while it is not withdrawn.
 */
function m006(dialect: Dialect): Migration {
  const autoId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('local_policy')
        .addColumn('id', 'integer', autoId)
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('owner_code', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text')
        .addColumn('published_at', 'text')
        .addColumn('withdrawn_by', 'text')
        .addColumn('withdrawn_at', 'text')
        .execute();
      await db.schema
        .createIndex('local_policy_version')
        .on('local_policy')
        .columns(['code', 'version'])
        .unique()
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('local_policy').execute();
    },
  };
}

/**
 * Needs-assessment frameworks as versioned data (drafts, then published; the latest published is
 * in use) and the answers of home visits, which fill facts the registry lacks for one household.
 */
function m007(dialect: Dialect): Migration {
  const autoId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('assessment_framework')
        .addColumn('id', 'integer', autoId)
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text')
        .addColumn('published_at', 'text')
        .execute();
      await db.schema
        .createIndex('assessment_framework_version')
        .on('assessment_framework')
        .columns(['code', 'version'])
        .unique()
        .execute();
      await db.schema
        .createTable('visit_answer')
        .addColumn('id', 'integer', autoId)
        .addColumn('household_id', 'text', (c) => c.notNull())
        .addColumn('fact', 'text', (c) => c.notNull())
        .addColumn('member_id_number', 'text')
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('visit_date', 'text', (c) => c.notNull())
        .addColumn('answered_by', 'text', (c) => c.notNull())
        .addColumn('answered_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('visit_answer_household')
        .on('visit_answer')
        .columns(['household_id', 'id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('visit_answer').execute();
      await db.schema.dropTable('assessment_framework').execute();
    },
  };
}

/**
 * The whole-row tables lose their `row_key` text column and its unique index: a copy of the whole
 * row in every row and again in an index (2.2 million relations at a million residents) cost a
 * third of the file and a long index build on every first load. The importer now compares a
 * snapshot's rows with the stored rows of the same person (through the person index). The index
 * on relatives' id numbers goes too: no query reads relations by the relative.
 */
function m008(): Migration {
  return {
    async up(db: Kysely<any>) {
      for (const name of ['relation_row', 'enrollment_row', 'identity_tag_row', 'relation_relative'])
        await db.schema.dropIndex(name).ifExists().execute();
      for (const table of ['relation', 'enrollment', 'identity_tag'])
        await db.schema.alterTable(table).dropColumn('row_key').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.createIndex('relation_relative').on('relation').column('relative_id_number').execute();
      for (const table of ['relation', 'enrollment', 'identity_tag']) {
        await db.schema.alterTable(table).addColumn('row_key', 'text').execute();
      }
    },
  };
}

/**
 * Registry rows lose their own timestamps: `created_at` and `updated_at` were ISO text (24 bytes
 * each) in every household, resident, relation, enrollment and identity tag, about 190 MB of a
 * million-resident first load, and said nothing the import run does not (every row is written by
 * an import, whose `import_run` row has who and when; change_log has each field's history). A row
 * now names the run that created it (`created_run`, as before) and households and residents the
 * run that last changed them (`updated_run`, null until then); the registry's reads take both
 * times from `import_run`. A row changed since it was created gets the run whose time was its
 * `updated_at` (the importer wrote the run's time there).
 */
function m009(): Migration {
  return {
    async up(db: Kysely<any>) {
      for (const table of ['household', 'resident']) {
        await db.schema.alterTable(table).addColumn('updated_run', 'integer').execute();
        await sql`UPDATE ${sql.table(table)} SET updated_run = (SELECT max(r.id) FROM import_run r WHERE r.at = ${sql.ref(`${table}.updated_at`)}) WHERE updated_at <> created_at`.execute(
          db,
        );
        // One column per statement: SQLite's ALTER TABLE drops one at a time.
        await db.schema.alterTable(table).dropColumn('updated_at').execute();
      }
      for (const table of ['household', 'resident', 'relation', 'enrollment', 'identity_tag'])
        await db.schema.alterTable(table).dropColumn('created_at').execute();
    },
    async down(db: Kysely<any>) {
      // The times come back from the runs ('' where a row names none).
      for (const table of ['household', 'resident', 'relation', 'enrollment', 'identity_tag']) {
        await db.schema
          .alterTable(table)
          .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
        await sql`UPDATE ${sql.table(table)} SET created_at = coalesce((SELECT r.at FROM import_run r WHERE r.id = ${sql.ref(`${table}.created_run`)}), '')`.execute(
          db,
        );
      }
      for (const table of ['household', 'resident']) {
        await db.schema
          .alterTable(table)
          .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
        await sql`UPDATE ${sql.table(table)} SET updated_at = coalesce((SELECT r.at FROM import_run r WHERE r.id = ${sql.ref(`${table}.updated_run`)}), created_at)`.execute(
          db,
        );
        await db.schema.alterTable(table).dropColumn('updated_run').execute();
      }
    },
  };
}

/**
 * The three name search indexes carry the resident's committee after the id number. A search
 * within an area walks its index in order with the area as a residual test: SQLite now makes
 * that test from the index entry and visits the table only for the rows it lists (it defers the
 * row until a column outside the index is needed), and the count of a search's matches reads the
 * index alone. "zhang" over the whole district, 64,541 matches, was counted in ~126 ms through
 * the table's rows.
 */
const NAME_SEARCH_INDEXES = [
  ['resident_name', 'name'],
  ['resident_pinyin', 'name_pinyin'],
  ['resident_initials', 'name_initials'],
] as const;
function m010(): Migration {
  const rebuild = async (db: Kysely<any>, withCommittee: boolean) => {
    for (const [name, field] of NAME_SEARCH_INDEXES) {
      await db.schema.dropIndex(name).ifExists().execute();
      await db.schema
        .createIndex(name)
        .on('resident')
        .columns(withCommittee ? [field, 'id_number', 'committee_code'] : [field, 'id_number'])
        .execute();
    }
  };
  return {
    up: (db: Kysely<any>) => rebuild(db, true),
    down: (db: Kysely<any>) => rebuild(db, false),
  };
}

/**
 * The audit trail becomes tamper-evident: each row carries the hash of the row before and its
 * own (modules/audit/audit.chain.ts), and signed checkpoints of the chain go to audit_checkpoint
 * (the key is a file outside the database). The rows already stored are chained here, in id
 * order, so an upgraded database verifies from its first row.
 */
function m011(dialect: Dialect): Migration {
  const autoId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey();
  return {
    async up(db: Kysely<any>) {
      // One column per statement (SQLite); the default only fills the rows chained just below.
      await db.schema
        .alterTable('audit_log')
        .addColumn('prev_hash', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('audit_log')
        .addColumn('hash', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .createTable('audit_checkpoint')
        .addColumn('id', 'integer', autoId)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('last_audit_id', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
      await chainStoredRows(db);
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('audit_checkpoint').execute();
      for (const c of ['hash', 'prev_hash']) await db.schema.alterTable('audit_log').dropColumn(c).execute();
      await db.deleteFrom('meta').where('key', '=', LEGACY_LAST_ID_KEY).execute();
    },
  };
}

/**
 * The full rejection report of an import run, for download after the run (the summary carries
 * only its first rows): the CSV text in parts of about a megabyte, so that neither the write nor
 * the download holds a whole report of a million cells in one value; with who ran it and their
 * area, which decide who may read it.
 */
function m012(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('import_report')
        .addColumn('run_id', 'integer', (c) => c.notNull())
        .addColumn('part', 'integer', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('org_code', 'text', (c) => c.notNull())
        .addColumn('csv', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('import_report_pk', ['run_id', 'part'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('import_report').execute();
    },
  };
}

/**
 * Failed logins per account, for growing delays and a lock that a district admin lifts: the
 * consecutive failures since the last success, when the next attempt may be made, and whether
 * the account is locked.
 */
function m013(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('app_user')
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('app_user').addColumn('retry_after', 'text').execute();
      await db.schema.alterTable('app_user').addColumn('locked_at', 'text').execute();
    },
    async down(db: Kysely<any>) {
      for (const c of ['locked_at', 'retry_after', 'failed_logins'])
        await db.schema.alterTable('app_user').dropColumn(c).execute();
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      return {
        '001_registry': m001(dialect),
        '002_tags': m002(dialect),
        '003_population_image': m003(dialect),
        '004_leads': m004(dialect),
        '005_assessment': m005(dialect),
        '006_local_policies': m006(dialect),
        '007_framework_versions': m007(dialect),
        '008_compact_whole_rows': m008(),
        '009_rows_name_their_runs': m009(),
        '010_search_indexes_hold_the_area': m010(),
        '011_audit_chain': m011(dialect),
        '012_import_reports': m012(),
        '013_login_lockout': m013(),
      };
    },
  };
}
