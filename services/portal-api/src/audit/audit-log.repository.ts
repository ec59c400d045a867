import type { DataSource } from 'typeorm';

export type AuditAction =
  | 'person.read' | 'person.search' | 'explanation.read' | 'review.list' | 'review.decide' | 'report.read' | 'audit.read';

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  /** The master id, record pair or query the read was about. */
  resource: string;
  /** Masters whose data the answer showed. */
  subjects: string[];
  /** `ok`, or the stable code of the failure the caller was given. */
  outcome: string;
  requestId: string;
}

export interface AuditRow extends AuditEntry {
  id: string;
  at: string;
}

/** The audit log in PostgreSQL: written before an answer leaves, never updated or deleted here. */
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (actor, action, resource, subjects, outcome, request_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [entry.actor, entry.action, entry.resource, entry.subjects, entry.outcome, entry.requestId],
    );
  }

  async list(filter: { actor?: string; action?: string; subject?: string; from?: Date; to?: Date; limit: number; offset: number }): Promise<{ total: number; items: AuditRow[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.actor !== undefined) add((p) => `actor = ${p}`, filter.actor);
    if (filter.action !== undefined) add((p) => `action = ${p}`, filter.action);
    if (filter.subject !== undefined) add((p) => `(subjects @> ARRAY[${p}]::text[] OR resource = ${p})`, filter.subject);
    if (filter.from !== undefined) add((p) => `at >= ${p}`, filter.from);
    if (filter.to !== undefined) add((p) => `at < ${p}`, filter.to);
    params.push(filter.limit, filter.offset);
    const rows: { id: string; at: Date; actor: string; action: AuditAction; resource: string; subjects: string[]; outcome: string; request_id: string; total: string }[] = await this.dataSource.query(
      `SELECT id, at, actor, action, resource, subjects, outcome, request_id, count(*) OVER () AS total FROM audit_log
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return {
      total: rows.length ? Number(rows[0]!.total) : 0,
      items: rows.map((r) => ({ id: String(r.id), at: r.at.toISOString(), actor: r.actor, action: r.action, resource: r.resource, subjects: r.subjects, outcome: r.outcome, requestId: r.request_id })),
    };
  }
}
