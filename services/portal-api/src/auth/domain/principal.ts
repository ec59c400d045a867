/** Who is calling, as their token says: `sub` is the "who" of every audit entry. */
export interface Principal {
  kind: 'user';
  subject: string;
  roles: string[];
}

export type TokenProblem = 'AUTH.TOKEN_REQUIRED' | 'AUTH.TOKEN_EXPIRED' | 'AUTH.TOKEN_INVALID';

/** Roles the portal knows; any other role in a token is carried but grants nothing here. */
export const ROLES = { reviewer: 'reviewer', auditor: 'auditor' } as const;

/** The bearer token of an Authorization header, or why there is none. */
export function bearerTokenOf(header: string | string[] | undefined): { token: string } | { problem: TokenProblem } {
  if (header === undefined) return { problem: 'AUTH.TOKEN_REQUIRED' };
  if (Array.isArray(header)) return { problem: 'AUTH.TOKEN_INVALID' };
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header.trim());
  return match ? { token: match[1]! } : { problem: 'AUTH.TOKEN_INVALID' };
}

/**
 * The caller a verified token names. A subject is required (it is who the audit log names)
 * and must be printable; roles come from a `roles` array claim.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal | { problem: TokenProblem } {
  const subject = claims.sub;
  if (typeof subject !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(subject)) return { problem: 'AUTH.TOKEN_INVALID' };
  const roles = claims.roles;
  if (roles !== undefined && (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string'))) return { problem: 'AUTH.TOKEN_INVALID' };
  return { kind: 'user', subject, roles: (roles as string[] | undefined) ?? [] };
}

export const PROBLEM_MESSAGES: Record<TokenProblem, string> = {
  'AUTH.TOKEN_REQUIRED': 'an Authorization: Bearer <token> header is required',
  'AUTH.TOKEN_EXPIRED': 'the bearer token has expired',
  'AUTH.TOKEN_INVALID': 'the bearer token is not valid',
};
