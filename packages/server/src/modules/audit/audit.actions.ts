/**
 * Every action the audit trail records, by the name it is stored under (audit_log.action). The
 * services record only these (AuditRepository.record takes an AuditAction), and the web app's
 * audit page has a label for each (packages/web/src/pages/audit/filters.ts), so a new kind of
 * event is named in both places or the typecheck fails.
 *
 * The form is noun.verb. A few names are older than that and stay as they were first recorded
 * ('login', 'import', the three-part 'assessment.framework.*', and reads named by what was read,
 * such as 'resident.tags'): the trail is append-only and signed, so a renamed action would file
 * the same kind of event under two names in every search and filter of a deployment's history.
 */
export const AUDIT_ACTIONS = [
  // Sessions and accounts.
  'login',
  'login.failed',
  'login.refused',
  'user.create',
  'user.unlock',
  'access.denied',
  // The registry.
  'residents.list',
  'residents.export',
  'resident.view',
  'household.view',
  // Imports.
  'import',
  'import.report',
  // Tags and crowd selection.
  'tag.create',
  'tag.update',
  'tag.delete',
  'tag.assign',
  'tag.unassign',
  'resident.tags',
  'selection.query',
  'selection.export',
  'selection.save',
  'selection.delete',
  // Policies, local policies and the worklist.
  'resident.eligibility',
  'leads.list',
  'leads.export',
  'lead.update',
  'policy.simulate',
  'local_policy.create',
  'local_policy.save_draft',
  'local_policy.simulate',
  'local_policy.publish',
  'local_policy.withdraw',
  // The needs assessment.
  'assessment.households',
  'household.assessment',
  'assessment.record',
  'household.questionnaire',
  'household.visit_answers',
  'assessment.framework.draft',
  'assessment.framework.update',
  'assessment.framework.preview',
  'assessment.framework.publish',
  // The trail itself.
  'audit.read',
  'audit.verify',
  'audit.checkpoint',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
