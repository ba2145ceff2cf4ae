/**
 * Response schemas of the registry endpoints: validation, OpenAPI and the TypeScript types (used
 * by the server and, type-only, by the web app) from one place. Imports nothing but zod.
 */
import { z } from 'zod';

const num = z.number().nullable();
const str = z.string().nullable();
const orgPath = z.array(z.object({ code: z.string(), name: z.string(), level: z.string() }));
const source = z.object({ importRun: z.number(), source: z.string(), at: z.string(), actor: z.string() }).nullable();

export const householdRecord = z.object({
  household_id: z.string(), committee_code: z.string(), address: str, housing_type: str,
  housing_area_m2: num, financial_assets_yuan: num, created_at: z.string(), created_run: num, updated_at: z.string(),
});

export const listItem = z.object({
  idNumber: z.string(), idNumberMasked: z.string(), name: z.string(), gender: z.string(), birthDate: z.string(),
  householdId: z.string(), committeeCode: z.string(), committeeName: z.string(), hukou: str,
  disabilityGrade: num, phoneMasked: str,
});

export const resident360 = z.object({
  person: z.object({
    id_number: z.string(), name: z.string(), gender: z.string(), birth_date: z.string(), household_id: z.string(),
    committee_code: z.string(), relation_to_head: str, hukou: str, marital_status: str, disability_grade: num,
    disability_category: str, monthly_income_yuan: num, employment: str, school_stage: str, labor_capacity: str,
    chronic_illness: str, medical_oop_12m_yuan: num, phone: str, created_at: z.string(), updated_at: z.string(),
    orgPath, createdBy: source,
  }),
  household: householdRecord.extend({ createdBy: source }).nullable(),
  members: z.array(z.object({ idNumber: z.string(), idNumberMasked: z.string(), name: z.string(), gender: z.string(), birthDate: z.string(), relationToHead: str, isSelf: z.boolean() })),
  relations: z.array(z.object({ relativeName: str, relation: z.string(), ableToSupport: str, relativeIdNumberMasked: str, relativeIdNumber: str, inRegistry: z.boolean(), source })),
  enrollments: z.array(z.object({ benefitCode: z.string(), startDate: z.string(), endDate: str, source })),
  identityTags: z.array(z.object({ tag: z.string(), source })),
  history: z.array(z.object({ at: z.string(), actor: z.string(), source: z.string(), entity: z.string(), action: z.string(), changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])) })),
});

export const householdView = z.object({
  household: householdRecord,
  orgPath,
  members: z.array(listItem),
  figures: z.object({
    members: z.number(), monthlyIncomeYuan: z.number(), perCapitaMonthlyIncomeYuan: num, perCapitaAssetsYuan: num,
    perCapitaAreaM2: num, medicalOop12mYuan: z.number(),
  }),
});

export interface OrgNodeShape { code: string; name: string; level: string; parentCode: string | null; children: OrgNodeShape[] }
// Recursive: registered with an id so that OpenAPI can refer to it as a component.
export const orgNode: z.ZodType<OrgNodeShape> = z.lazy(() => z.object({
  code: z.string(), name: z.string(), level: z.string(), parentCode: z.string().nullable(), children: z.array(orgNode),
})).meta({ id: 'OrgNode' });

export type HouseholdRecord = z.infer<typeof householdRecord>;
export type ResidentListItem = z.infer<typeof listItem>;
export type Resident360 = z.infer<typeof resident360>;
export type HouseholdView = z.infer<typeof householdView>;
