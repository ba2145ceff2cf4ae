/** Table types for Kysely. Columns mirror the exchange format; timestamps are ISO-8601 text. */
import type { ColumnType, Generated } from 'kysely';

export interface OrgUnitTable {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

export interface HouseholdTable {
  household_id: string;
  committee_code: string;
  address: string | null;
  housing_type: string | null;
  housing_area_m2: number | null;
  financial_assets_yuan: number | null;
  /**
   * The import run that created it (null when entered by hand). The run holds who and when; rows
   * carry no timestamps of their own (migration 009).
   */
  created_run: number | null;
  /** The import run that last changed it (null: unchanged since created); the fields' history is in change_log. */
  updated_run: number | null;
}

export interface ResidentTable {
  id_number: string;
  name: string;
  name_pinyin: string;
  name_initials: string;
  gender: string;
  birth_date: string;
  household_id: string;
  /** Copied from the household so that scope filters and per-area counts need no join. */
  committee_code: string;
  relation_to_head: string | null;
  hukou: string | null;
  marital_status: string | null;
  disability_grade: number | null;
  disability_category: string | null;
  monthly_income_yuan: number | null;
  employment: string | null;
  school_stage: string | null;
  labor_capacity: string | null;
  chronic_illness: string | null;
  medical_oop_12m_yuan: number | null;
  phone: string | null;
  created_run: number | null;
  updated_run: number | null;
}

export interface RelationTable {
  id_number: string;
  relative_name: string | null;
  relative_id_number: string | null;
  relation: string;
  able_to_support: string | null;
  created_run: number | null;
}

export interface EnrollmentTable {
  id_number: string;
  benefit_code: string;
  start_date: string;
  end_date: string | null;
  created_run: number | null;
}

export interface IdentityTagTable {
  id_number: string;
  tag: string;
  created_run: number | null;
}

/** What changed in the registry: who, when, what, from which source. */
export interface ChangeLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  source: string;
  entity: string;
  entity_key: string;
  /** The resident the change concerns, for the 360 view (households: null). */
  id_number: string | null;
  action: string;
  detail: string;
}

/** Who read or wrote what: every write and every sensitive read. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
  /**
   * The hash chain (migration 011, modules/audit/audit.chain.ts): the hash of the row before in
   * id order (64 zeros for the first) and this row's own SHA-256. Required on insert, so that
   * nothing writes a row outside the chain.
   */
  prev_hash: string;
  hash: string;
}

/** A signed checkpoint of the audit chain: the rows up to `last_audit_id` had the hash `hash` (Ed25519, key outside the database). */
export interface AuditCheckpointTable {
  id: Generated<number>;
  at: string;
  last_audit_id: number;
  hash: string;
  /** Base64 Ed25519 signature of audit.chain.ts checkpointMessage(). */
  signature: string;
}

export interface AppUserTable {
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  org_code: string;
  created_at: string;
  /** Consecutive failed logins since the last success (migration 013). */
  failed_logins: ColumnType<number, number | undefined, number>;
  /** No login before this time (ISO), after repeated failures. */
  retry_after: ColumnType<string | null, string | null | undefined, string | null>;
  /** Locked after too many failures, until a district admin lifts it. */
  locked_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionTable {
  token_hash: string;
  username: string;
  created_at: string;
  expires_at: string;
}

export interface ImportRunTable {
  id: Generated<number>;
  at: string;
  actor: string;
  source_name: string;
  summary: string;
}

/** An import run's full rejection report, in parts (migration 012). */
export interface ImportReportTable {
  run_id: number;
  part: number;
  /** Who ran the import, and their area: the district admin whose area holds it may read it too. */
  actor: string;
  org_code: string;
  csv: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface TagTable {
  id: Generated<number>;
  code: string;
  category: string;
  source: string;
  /** The org unit that owns the tag (3101 city, 310105 district, a street or a committee). */
  owner_code: string;
  description: string;
  /** Who keeps the tag up to date (a department or person), for workers' questions. */
  owner_name: string | null;
  /** Imported and rule tags: when it holds, in the rule language. */
  rule: string | null;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

/** A manual tag set on a resident by a worker: who, when, why, evidence, validity. Never deleted: removal is recorded. */
export interface TagAssignmentTable {
  id: Generated<number>;
  tag_id: number;
  id_number: string;
  valid_from: string | null;
  valid_to: string | null;
  reason: string;
  evidence: string | null;
  assigned_by: string;
  assigned_at: string;
  removed_by: string | null;
  removed_at: string | null;
}

export interface SavedSelectionTable {
  id: Generated<number>;
  name: string;
  expression: string;
  /** JSON array of tag codes to rank by. */
  rank_tags: string;
  org_code: string;
  created_by: string;
  created_at: string;
}

export interface PopulationImageTable {
  key: string;
  /** The registry's state it was built from (the last import run). */
  version: string;
  data: Uint8Array;
  written_at: string;
}

export interface LeadEventTable {
  id: Generated<number>;
  id_number: string;
  policy: string;
  kind: string;
  status: string;
  assignee: string | null;
  reason: string | null;
  actor: string;
  at: string;
}

export interface AssessmentRecordTable {
  id: Generated<number>;
  household_id: string;
  as_of: string;
  framework_code: string;
  framework_version: number;
  score: number;
  band: string;
  /** JSON arrays of indicator codes. */
  deprived: string;
  unknown: string;
  recorded_by: string;
  recorded_at: string;
}

/** A version of a needs-assessment framework: a draft until published; the latest published is in use. */
export interface AssessmentFrameworkTable {
  id: Generated<number>;
  code: string;
  version: number;
  /** 'draft' | 'published' */
  status: string;
  /** The framework as JSON (dimensions, indicators with weights and conditions, k). */
  definition: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  published_by: string | null;
  published_at: string | null;
}

/** A fact of a household or a member answered on a home visit (used only where the registry lacks it). */
export interface VisitAnswerTable {
  id: Generated<number>;
  household_id: string;
  fact: string;
  /** null for a household fact. */
  member_id_number: string | null;
  /** The value as text (numbers in their decimal form). */
  value: string;
  visit_date: string;
  answered_by: string;
  answered_at: string;
}

/** A version of a local policy (a district's or street's own): draft → published (never rewritten) → withdrawn. */
export interface LocalPolicyTable {
  id: Generated<number>;
  code: string;
  /** The org unit that owns it: it applies to the residents of this unit's subtree only. */
  owner_code: string;
  version: number;
  /** 'draft' | 'published' | 'withdrawn' */
  status: string;
  /** One policy as in pack.yaml, with its own parameters (dated, cited values), as JSON. */
  definition: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  published_by: string | null;
  published_at: string | null;
  withdrawn_by: string | null;
  withdrawn_at: string | null;
}

export interface DB {
  assessment_record: AssessmentRecordTable;
  assessment_framework: AssessmentFrameworkTable;
  visit_answer: VisitAnswerTable;
  lead_event: LeadEventTable;
  local_policy: LocalPolicyTable;
  population_image: PopulationImageTable;
  tag: TagTable;
  tag_assignment: TagAssignmentTable;
  saved_selection: SavedSelectionTable;
  org_unit: OrgUnitTable;
  household: HouseholdTable;
  resident: ResidentTable;
  relation: RelationTable;
  enrollment: EnrollmentTable;
  identity_tag: IdentityTagTable;
  change_log: ChangeLogTable;
  audit_log: AuditLogTable;
  audit_checkpoint: AuditCheckpointTable;
  app_user: AppUserTable;
  session: SessionTable;
  import_run: ImportRunTable;
  import_report: ImportReportTable;
  meta: MetaTable;
}
