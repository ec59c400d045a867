import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_AUTHENTICATED, IS_PUBLIC } from './public.decorator';

/**
 * Global guard: every HTTP route is closed unless it is marked @Public() (health, metrics)
 * or an authentication step of the service has put a principal on the request. A route a
 * service forgets to protect is therefore refused, not open.
 */
@Injectable()
export class ClosedByDefaultGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const hasOwnAuthentication = this.reflector.getAllAndOverride<boolean>(IS_AUTHENTICATED, targets);
    if (isPublic || hasOwnAuthentication || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ principal?: unknown }>();
    if (request.principal) return true;
    throw new UnauthorizedException({ code: 'AUTH.REQUIRED', message: 'authentication required' });
  }
}
