import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SetMetadata } from '@nestjs/common';
import { bearerTokenOf, PROBLEM_MESSAGES, type Principal } from './domain/principal';
import { TokenVerifier } from './token-verifier';

const REQUIRED_ROLE = 'portal:required-role';
/** The route needs this role in the caller's token (403 AUTH.ROLE_REQUIRED otherwise). */
export const RequireRole = (role: string) => SetMetadata(REQUIRED_ROLE, role);

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  id: string;
}

/** Bearer JWT authentication for every portal route, then the route's role if it names one. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(@Inject(TokenVerifier) private readonly verifier: TokenVerifier, @Inject(Reflector) private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = bearerTokenOf(request.headers.authorization);
    const outcome = 'token' in bearer ? await this.verifier.verify(bearer.token) : bearer;
    if ('problem' in outcome) throw new UnauthorizedException({ code: outcome.problem, message: PROBLEM_MESSAGES[outcome.problem] });
    request.principal = outcome;
    const role = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
    if (role && !outcome.roles.includes(role)) throw new ForbiddenException({ code: 'AUTH.ROLE_REQUIRED', message: `this needs the ${role} role` });
    return true;
  }
}
