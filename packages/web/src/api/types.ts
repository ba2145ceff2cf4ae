/**
 * Shapes of the server's JSON. The registry and dashboard types come, type-only, from the
 * server's zod schemas (@tingjian/server/contract), so the two cannot drift; the rest
 * mirror auth.routes.ts and import.routes.ts. Field names are the server's: the 360 view keeps
 * the registry's snake_case columns.
 */
import type {
  HouseholdRecord,
  HouseholdView,
  Overview,
  Resident360,
  ResidentListItem,
} from '@tingjian/server/contract';

export type { HouseholdRecord, HouseholdView, Overview, Resident360, ResidentListItem };

export type Role = 'district' | 'street' | 'committee' | 'adviser';
export const ROLES: readonly Role[] = ['district', 'street', 'committee', 'adviser'];

export interface OrgRef {
  code: string;
  name: string;
}
export interface OrgPathItem extends OrgRef {
  level: string;
}

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

export interface ResidentPage {
  items: ResidentListItem[];
  hasMore: boolean;
  /** Counted on the first page only; null on later pages. */
  total: number | null;
  /** Whether more than `total` match (the server counts up to 10,000). */
  totalCapped: boolean;
}

/** Which import run (file, time, who) first brought a record in. */
export type Provenance = NonNullable<Resident360['person']['createdBy']>;
/** A relative; `relativeRef` is set only when the relative is in the registry and inside the caller's area. */
export type Relation = Resident360['relations'][number];
export type HistoryEntry = Resident360['history'][number];

export interface TableCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}
export interface RejectedRow {
  file: string;
  line: number;
  column: string;
  reason: string;
}

export interface ImportSummary {
  runId: number;
  source: string;
  tables: Record<string, TableCounts>;
  rejectedRows: number;
  rejected: RejectedRow[];
  reportCsv: string;
}

export interface UserAccount {
  username: string;
  displayName: string;
  role: string;
  orgCode: string;
  orgName: string;
  /** Locked after repeated failed logins, until a district admin lifts it. */
  locked: boolean;
  failedLogins: number;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  orgCode: string;
}
