/**
 * Reading the audit trail (district administrators): one page of events of their area, with
 * filters, and "who looked at this person". Each read is itself an audited event ('audit.read').
 */
import { areaOf, requireAccess } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { AuditRepository } from './audit.repository.ts';
import type { AuditPage, AuditQuery, AuditVerification } from './audit.schema.ts';

function parsed(detail: string): unknown {
  try {
    return JSON.parse(detail);
  } catch {
    return detail;
  }
}

export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly org: OrgService,
  ) {}

  async list(scope: Scope, q: AuditQuery): Promise<AuditPage> {
    requireAccess(scope, 'audit.read');
    const from = q.from ? new Date(q.from).toISOString() : undefined;
    const to = q.to ? new Date(q.to).toISOString() : undefined;
    const page = await this.audit.search({
      area: areaOf(scope),
      actor: q.actor,
      action: q.action,
      target: q.target,
      idNumber: q.idNumber,
      from,
      to,
      maxId: q.maxId,
      limit: q.limit,
      offset: q.offset,
    });
    const filters = Object.fromEntries(
      Object.entries({ actor: q.actor, action: q.action, target: q.target, idNumber: q.idNumber, from, to }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    // Asking who looked at a person is a look at that person too: it is found under their target.
    await this.audit.record(scope, 'audit.read', q.idNumber ? `resident:${q.idNumber}` : 'audit_log', {
      filters,
      total: page.total,
      offset: q.offset,
      rows: page.rows.length,
    });
    return {
      total: page.total,
      items: page.rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        actorName: r.display_name,
        actorOrgCode: r.org_code,
        actorOrgName: r.org_code ? (this.org.get(r.org_code)?.name ?? null) : null,
        action: r.action,
        target: r.target,
        detail: parsed(r.detail),
      })),
    };
  }

  /** The whole chain and its checkpoints (the deployment's, not one area's: it names rows, not people). */
  async verify(scope: Scope): Promise<AuditVerification> {
    requireAccess(scope, 'audit.verify');
    const result = await this.audit.verify();
    await this.audit.record(scope, 'audit.verify', 'audit_log', {
      ok: result.ok,
      rows: result.rows,
      checkpoints: result.checkpoints,
      problems: result.problemCount,
    });
    return { ...result, problems: [...result.problems] };
  }
}
