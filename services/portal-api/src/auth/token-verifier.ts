import { errors, jwtVerify } from 'jose';
import { principalFromClaims, type Principal, type TokenProblem } from './domain/principal';

export interface TokenRules {
  secret: string;
  issuer?: string;
  audience?: string;
  /** Leeway for clocks that disagree, in seconds. */
  clockToleranceSeconds?: number;
}

/**
 * Checks a caller's bearer token: HS256 only, signed with the portal's secret, an `exp` that
 * has not passed, the issuer and audience when configured, and a subject.
 */
export class TokenVerifier {
  private readonly key: Uint8Array;

  constructor(private readonly rules: TokenRules) {
    this.key = new TextEncoder().encode(rules.secret);
  }

  async verify(token: string): Promise<Principal | { problem: TokenProblem }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        issuer: this.rules.issuer,
        audience: this.rules.audience,
        clockTolerance: this.rules.clockToleranceSeconds ?? 30,
      });
      return principalFromClaims(payload as Record<string, unknown>);
    } catch (error) {
      return { problem: error instanceof errors.JWTExpired ? 'AUTH.TOKEN_EXPIRED' : 'AUTH.TOKEN_INVALID' };
    }
  }
}
