/**
 * `@tingjian/server/contract`: the shapes of the JSON the web app reads and sends, as the server's
 * zod schemas (which validate requests and responses and write the OpenAPI document) and the
 * TypeScript types inferred from them, so that the two sides cannot drift. The web app imports
 * the types only. This entry reaches nothing but zod, the schema files and
 * `@tingjian/engine/browser`: no Fastify, Kysely, database driver or Node built-in (the test
 * packages/web/src/browser-entry.test.ts bundles it and fails if one gets in).
 */

export {
  areaAssessment,
  frameworkCheck,
  frameworkDefinition,
  frameworkPreview,
  frameworkVersionDetail,
  frameworkVersions,
  frameworkView,
  householdAssessment,
  householdsPage,
  questionnaire,
  visitAnswersRequest,
  visitQuestion,
  type AreaAssessment,
  type FrameworkCheck,
  type FrameworkDefinition,
  type FrameworkPreview,
  type FrameworkVersionDetail,
  type FrameworkVersions,
  type FrameworkView,
  type HouseholdAssessmentView,
  type HouseholdsPage,
  type Questionnaire,
  type VisitAnswersRequest,
  type VisitQuestionView,
} from './modules/assessment/assessment.schema.ts';

export {
  auditEvent,
  auditPage,
  auditVerification,
  type AuditEventView,
  type AuditPage,
  type AuditVerification,
} from './modules/audit/audit.schema.ts';
export { AUDIT_ACTIONS, type AuditAction } from './modules/audit/audit.actions.ts';

export {
  LOCAL_POLICY_STATUSES,
  localPolicyDefinition,
  localPolicyInput,
  localPolicyList,
  localPolicySimulateResult,
  localPolicyVersion,
  localPolicyView,
  type LocalPolicyDefinitionView,
  type LocalPolicyInput,
  type LocalPolicyList,
  type LocalPolicySimulateResult,
  type LocalPolicyStatus,
  type LocalPolicyVersionView,
  type LocalPolicyView,
} from './modules/policies/local-policies.schema.ts';

export {
  eligibilityView,
  leadRow,
  leadsPage,
  leadsSummary,
  leadUpdate,
  packView,
  policyExplanation,
  screenerRequest,
  screenerResult,
  type EligibilityView,
  type LeadRow,
  type LeadsPage,
  type LeadsSummary,
  type LeadUpdate,
  type PackView,
  type PolicyExplanationView,
  type ScreenerRequest,
  type ScreenerResult,
  type TraceNode,
} from './modules/policies/policies.schema.ts';

export {
  householdRecord,
  householdView,
  listItem as residentListItem,
  resident360,
  type HouseholdRecord,
  type HouseholdView,
  type Resident360,
  type ResidentListItem,
} from './modules/registry/registry.schema.ts';

export { overview, type Overview } from './modules/stats/stats.schema.ts';

export {
  assignRequest,
  assignResult,
  countResult,
  dictionaryResponse,
  residentTags,
  ruleVocabulary,
  savedSelection,
  selectionRequest,
  selectionResult,
  tagDetail,
  tagInput,
  tagPatch,
  tagView,
  type AssignRequest,
  type AssignResult,
  type CountResult,
  type DictionaryResponse,
  type ResidentTags,
  type RuleVocabulary,
  type SavedSelection,
  type SelectionRequest,
  type SelectionResult,
  type TagDetail,
  type TagInput,
  type TagPatch,
  type TagView,
} from './modules/tags/tags.schema.ts';
