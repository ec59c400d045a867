import { randomUUID } from 'node:crypto';
import type { AuditContext } from '../audit/audit.service';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';

/** The caller and the request id for the audit log: the caller's X-Request-Id when well formed, else a new one. */
export function auditContextOf(request: AuthenticatedRequest & { requestId?: string }): AuditContext {
  if (!request.principal) throw new Error('auditContextOf on a route without authentication');
  if (!request.requestId) {
    const given = request.headers['x-request-id'];
    request.requestId = typeof given === 'string' && /^[A-Za-z0-9._:-]{8,100}$/.test(given) ? given : randomUUID();
  }
  return { principal: request.principal, requestId: request.requestId };
}
