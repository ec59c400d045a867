import type { Logger } from '@hub/platform';
import type { Principal } from '../auth/domain/principal';
import { PortalError } from '../http/portal-error';
import type { AuditAction, AuditLogRepository } from './audit-log.repository';

export interface AuditContext {
  principal: Principal;
  requestId: string;
}

/**
 * Every read of personal data goes through `audited`: the read runs, then its audit entry is
 * written, and only then is the answer released. If the entry cannot be written the answer is
 * withheld (503 PORTAL.AUDIT_UNAVAILABLE). A failed read is audited with its code too.
 */
export class AuditService {
  constructor(private readonly repository: AuditLogRepository, private readonly logger: Logger) {}

  async audited<T>(context: AuditContext, action: AuditAction, resource: string, read: () => Promise<T>, subjectsOf: (result: T) => string[]): Promise<T> {
    let result: T;
    try {
      result = await read();
    } catch (error) {
      const outcome = error instanceof PortalError ? error.code : 'PORTAL.INTERNAL';
      await this.write(context, action, resource, [], outcome);
      throw error;
    }
    await this.write(context, action, resource, subjectsOf(result), 'ok');
    return result;
  }

  private async write(context: AuditContext, action: AuditAction, resource: string, subjects: string[], outcome: string): Promise<void> {
    try {
      await this.repository.append({ actor: context.principal.subject, action, resource, subjects, outcome, requestId: context.requestId });
    } catch (error) {
      // ids and codes only: the resource may hold search terms
      this.logger.error({ action, requestId: context.requestId, error: (error as { code?: string }).code ?? (error as Error).name }, 'audit entry could not be written; answer withheld');
      throw new PortalError('PORTAL.AUDIT_UNAVAILABLE', 'the read could not be audited, so it is not answered; retry later', 503);
    }
  }
}
