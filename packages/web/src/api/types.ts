/**
 * Shapes of the server's JSON, mirroring the zod schemas in packages/server (auth.routes.ts,
 * registry.schema.ts, stats.routes.ts, import.routes.ts). Field names are the server's: the
 * 360 view keeps the registry's snake_case columns.
 */

export type Role = 'district' | 'street' | 'committee' | 'adviser';
export const ROLES: readonly Role[] = ['district', 'street', 'committee', 'adviser'];

export interface OrgRef { code: string; name: string }
export interface OrgPathItem extends OrgRef { level: string }

export interface SessionUser {
  username: string;
  displayName: string;
  role: Role | string;
  roleLabel: string;
  orgCode: string;
  orgName: string;
  orgPath: OrgRef[];
}

export interface OrgNode {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  children: OrgNode[];
}

export interface Overview {
  asOf: string;
  org: { code: string; name: string; level: string };
  residents: number;
  households: number;
  children: Array<{ code: string; name: string; level: string; residents: number; households: number }>;
  agePyramid: Array<{ band: string; male: number; female: number }>;
  facts: {
    disability: number;
    severeDisability: number;
    chronicIllness: number;
    eldersAlone: number;
    aged80plus: number;
    benefits: Array<{ code: string; name: string; holders: number }>;
  };
}

export interface ResidentListItem {
  idNumber: string;
  idNumberMasked: string;
  name: string;
  gender: string;
  birthDate: string;
  householdId: string;
  committeeCode: string;
  committeeName: string;
  hukou: string | null;
  disabilityGrade: number | null;
  phoneMasked: string | null;
}

export interface ResidentPage {
  items: ResidentListItem[];
  hasMore: boolean;
  /** Counted on the first page only; null on later pages. */
  total: number | null;
}

/** Which import run (file, time, who) first brought a record in. */
export interface Provenance { importRun: number; source: string; at: string; actor: string }

export interface HouseholdRecord {
  household_id: string;
  committee_code: string;
  address: string | null;
  housing_type: string | null;
  housing_area_m2: number | null;
  financial_assets_yuan: number | null;
  created_at: string;
  created_run: number | null;
  updated_at: string;
}

export interface Relation {
  relativeName: string | null;
  relation: string;
  ableToSupport: string | null;
  relativeIdNumberMasked: string | null;
  /** Set only when the relative is in the registry and inside the caller's area. */
  relativeIdNumber: string | null;
  inRegistry: boolean;
  source: Provenance | null;
}

export interface HistoryEntry {
  at: string;
  actor: string;
  source: string;
  entity: string;
  action: string;
  changes: Record<string, [unknown, unknown]>;
}

export interface Resident360 {
  person: {
    id_number: string; name: string; gender: string; birth_date: string; household_id: string;
    committee_code: string; relation_to_head: string | null; hukou: string | null; marital_status: string | null;
    disability_grade: number | null; disability_category: string | null; monthly_income_yuan: number | null;
    employment: string | null; school_stage: string | null; labor_capacity: string | null;
    chronic_illness: string | null; medical_oop_12m_yuan: number | null; phone: string | null;
    created_at: string; updated_at: string;
    orgPath: OrgPathItem[];
    createdBy: Provenance | null;
  };
  household: (HouseholdRecord & { createdBy: Provenance | null }) | null;
  members: Array<{ idNumber: string; idNumberMasked: string; name: string; gender: string; birthDate: string; relationToHead: string | null; isSelf: boolean }>;
  relations: Relation[];
  enrollments: Array<{ benefitCode: string; startDate: string; endDate: string | null; source: Provenance | null }>;
  identityTags: Array<{ tag: string; source: Provenance | null }>;
  history: HistoryEntry[];
}

export interface HouseholdView {
  household: HouseholdRecord;
  orgPath: OrgPathItem[];
  members: ResidentListItem[];
  figures: {
    members: number;
    monthlyIncomeYuan: number;
    perCapitaMonthlyIncomeYuan: number | null;
    perCapitaAssetsYuan: number | null;
    perCapitaAreaM2: number | null;
    medicalOop12mYuan: number;
  };
}

export interface TableCounts { read: number; inserted: number; updated: number; unchanged: number; rejected: number }
export interface RejectedRow { file: string; line: number; column: string; reason: string }

export interface ImportSummary {
  runId: number;
  source: string;
  tables: Record<string, TableCounts>;
  rejectedRows: number;
  rejected: RejectedRow[];
  reportCsv: string;
}

export interface UserAccount { username: string; displayName: string; role: string; orgCode: string; orgName: string }

export interface NewUser { username: string; displayName: string; password: string; role: Role; orgCode: string }
