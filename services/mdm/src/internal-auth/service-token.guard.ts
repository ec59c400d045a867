import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';

export const MDM_SERVICE_TOKEN = Symbol('mdm:service-token');

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * mdm's internal API answers only other hub services, which present the installation's
 * service token. Compared as digests in constant time, so neither length nor content leaks.
 */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(MDM_SERVICE_TOKEN) token: string | undefined) {
    this.expected = token ? digest(token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: unknown }>();
    const header = request.headers.authorization ?? '';
    const presented = /^Bearer (.+)$/.exec(header)?.[1];
    if (!this.expected) throw new UnauthorizedException({ code: 'MDM.INTERNAL_API_DISABLED', message: 'the internal API is closed: MDM_SERVICE_TOKEN is not set' });
    if (!presented || !timingSafeEqual(digest(presented), this.expected)) {
      throw new UnauthorizedException({ code: 'MDM.UNAUTHENTICATED', message: 'a valid service token is required (Authorization: Bearer …)' });
    }
    request.principal = { kind: 'service' };
    return true;
  }
}
