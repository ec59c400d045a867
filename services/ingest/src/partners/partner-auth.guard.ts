import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { jwtVerify } from 'jose';
import { ApiKeys } from './api-keys';
import { INGEST_CONFIG, type IngestConfig } from '../ingest.config';

export interface PartnerPrincipal {
  kind: 'partner';
  partnerId: string;
  via: 'api-key' | 'bearer';
}

/**
 * Authenticates a partner system: an API key in `X-API-Key`, or a bearer token (a JWT
 * signed with INGEST_JWT_SECRET whose subject is the partner id). Failure is one answer,
 * 401 AUTH.INVALID_CREDENTIALS, whatever was wrong, so that nothing is learnt by probing.
 */
@Injectable()
export class PartnerAuthGuard implements CanActivate {
  constructor(@Inject(ApiKeys) private readonly keys: ApiKeys, @Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: PartnerPrincipal }>();
    const apiKey = request.headers['x-api-key'];
    const authorization = request.headers.authorization;
    let partnerId: string | undefined;
    let via: PartnerPrincipal['via'] = 'api-key';
    if (typeof apiKey === 'string') {
      partnerId = await this.keys.partnerFor(apiKey);
    } else if (typeof authorization === 'string' && authorization.startsWith('Bearer ') && this.config.INGEST_JWT_SECRET) {
      via = 'bearer';
      try {
        const { payload } = await jwtVerify(authorization.slice(7), new TextEncoder().encode(this.config.INGEST_JWT_SECRET), {
          issuer: this.config.INGEST_JWT_ISSUER, audience: 'hub-ingest', algorithms: ['HS256'],
        });
        partnerId = typeof payload.sub === 'string' ? payload.sub : undefined;
      } catch {
        partnerId = undefined;
      }
    }
    if (!partnerId) throw new UnauthorizedException({ code: 'AUTH.INVALID_CREDENTIALS', message: 'missing or invalid credentials' });
    request.principal = { kind: 'partner', partnerId, via };
    return true;
  }
}
