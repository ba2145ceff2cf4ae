/**
 * Response schemas of the registry endpoints: validation, OpenAPI and the TypeScript types (used
 * by the server and, type-only, by the web app) from one place. Imports nothing but zod.
 */
import { z } from 'zod';

const num = z.number().nullable();
const str = z.string().nullable();
const orgPath = z.array(z.object({ code: z.string(), name: z.string(), level: z.string() }));
const source = z.object({ importRun: z.number(), source: z.string(), at: z.string(), actor: z.string() }).nullable();

/**
 * A resident as routes take one: the 18-digit id number, or the opaque ref (`r.…`) that lists
 * give instead of it (resident-ref.ts). A ref that does not open is answered like an unknown id.
 */
export const RESIDENT_KEY = /^(?:\d{17}[\dXx]|r\.[A-Za-z0-9_-]{40,120})$/;
export const residentKey = z.string().regex(RESIDENT_KEY, '应为18位身份证号，或列表给出的居民引用（r.…）');

export const householdRecord = z.object({
  household_id: z.string(),
  committee_code: z.string(),
  address: str,
  housing_type: str,
  housing_area_m2: num,
  financial_assets_yuan: num,
  created_at: z.string(),
  created_run: num,
  updated_at: z.string(),
});

/** A row of a resident list: a ref to open or act on the person, the id number masked, never in full. */
export const listItem = z.object({
  ref: z.string(),
  idNumberMasked: z.string(),
  name: z.string(),
  gender: z.string(),
  birthDate: z.string(),
  householdId: z.string(),
  committeeCode: z.string(),
  committeeName: z.string(),
  hukou: str,
  disabilityGrade: num,
  phoneMasked: str,
});

export const resident360 = z.object({
  person: z.object({
    /** The person's own id number in full: this read is audited. */
    id_number: z.string(),
    /** The person's ref, as lists give it (to match a list row, or for links). */
    ref: z.string(),
    name: z.string(),
    gender: z.string(),
    birth_date: z.string(),
    household_id: z.string(),
    committee_code: z.string(),
    relation_to_head: str,
    hukou: str,
    marital_status: str,
    disability_grade: num,
    disability_category: str,
    monthly_income_yuan: num,
    employment: str,
    school_stage: str,
    labor_capacity: str,
    chronic_illness: str,
    medical_oop_12m_yuan: num,
    phone: str,
    created_at: z.string(),
    updated_at: z.string(),
    orgPath,
    createdBy: source,
  }),
  household: householdRecord.extend({ createdBy: source }).nullable(),
  /** The household's members, by ref and masked id number. */
  members: z.array(
    z.object({
      ref: z.string(),
      idNumberMasked: z.string(),
      name: z.string(),
      gender: z.string(),
      birthDate: z.string(),
      relationToHead: str,
      isSelf: z.boolean(),
    }),
  ),
  relations: z.array(
    z.object({
      relativeName: str,
      relation: z.string(),
      ableToSupport: str,
      relativeIdNumberMasked: str,
      /** The relative's ref: only for a relative in the registry and in the caller's area. */
      relativeRef: str,
      inRegistry: z.boolean(),
      source,
    }),
  ),
  enrollments: z.array(z.object({ benefitCode: z.string(), startDate: z.string(), endDate: str, source })),
  identityTags: z.array(z.object({ tag: z.string(), source })),
  history: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      source: z.string(),
      entity: z.string(),
      action: z.string(),
      changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
    }),
  ),
});

export const householdView = z.object({
  household: householdRecord,
  orgPath,
  members: z.array(listItem),
  figures: z.object({
    members: z.number(),
    monthlyIncomeYuan: z.number(),
    perCapitaMonthlyIncomeYuan: num,
    perCapitaAssetsYuan: num,
    perCapitaAreaM2: num,
    medicalOop12mYuan: z.number(),
  }),
});

export interface OrgNodeShape {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  children: OrgNodeShape[];
}
// Recursive: registered with an id so that OpenAPI can refer to it as a component.
export const orgNode: z.ZodType<OrgNodeShape> = z
  .lazy(() =>
    z.object({
      code: z.string(),
      name: z.string(),
      level: z.string(),
      parentCode: z.string().nullable(),
      children: z.array(orgNode),
    }),
  )
  .meta({ id: 'OrgNode' });

export type HouseholdRecord = z.infer<typeof householdRecord>;
export type ResidentListItem = z.infer<typeof listItem>;
export type Resident360 = z.infer<typeof resident360>;
export type HouseholdView = z.infer<typeof householdView>;
