import { SignJWT } from 'jose';
import { bearerTokenOf, principalFromClaims } from './domain/principal';
import { TokenVerifier } from './token-verifier';

const secret = 'a'.repeat(40);
const sign = (claims: Record<string, unknown>, options: { secret?: string; exp?: number | string | null; alg?: string; sub?: string | null; iss?: string; aud?: string } = {}) => {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256' }).setIssuedAt();
  if (options.sub !== null) jwt = jwt.setSubject(options.sub ?? 'alice');
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? '5m');
  if (options.iss) jwt = jwt.setIssuer(options.iss);
  if (options.aud) jwt = jwt.setAudience(options.aud);
  return jwt.sign(new TextEncoder().encode(options.secret ?? secret));
};

describe(TokenVerifier.name, () => {
  const sut = new TokenVerifier({ secret });

  it('accepts a token signed with the secret and names its subject and roles', async () => {
    expect(await sut.verify(await sign({ roles: ['reviewer'] }))).toEqual({ kind: 'user', subject: 'alice', roles: ['reviewer'] });
  });

  it('refuses an expired token as expired', async () => {
    expect(await sut.verify(await sign({}, { exp: Math.floor(Date.now() / 1000) - 120 }))).toEqual({ problem: 'AUTH.TOKEN_EXPIRED' });
  });

  it.each([
    ['another secret', { secret: 'b'.repeat(40) }],
    ['no expiry', { exp: null }],
    ['no subject', { sub: null }],
    ['HS512', { alg: 'HS512' }],
  ])('refuses a token with %s', async (_what, options) => {
    expect(await sut.verify(await sign({}, options as never))).toEqual({ problem: 'AUTH.TOKEN_INVALID' });
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new TokenVerifier({ secret, issuer: 'idp', audience: 'portal' });
    expect(await strict.verify(await sign({}, { iss: 'idp', aud: 'portal' }))).toMatchObject({ subject: 'alice' });
    expect(await strict.verify(await sign({}, { iss: 'other', aud: 'portal' }))).toEqual({ problem: 'AUTH.TOKEN_INVALID' });
    expect(await strict.verify(await sign({}, { iss: 'idp' }))).toEqual({ problem: 'AUTH.TOKEN_INVALID' });
  });

  it('refuses roles that are not a list of strings, and a subject with spaces', () => {
    expect(principalFromClaims({ sub: 'alice', roles: 'reviewer' })).toEqual({ problem: 'AUTH.TOKEN_INVALID' });
    expect(principalFromClaims({ sub: 'alice smith' })).toEqual({ problem: 'AUTH.TOKEN_INVALID' });
    expect(principalFromClaims({ sub: 'alice' })).toEqual({ kind: 'user', subject: 'alice', roles: [] });
  });

  it('reads the bearer token of an Authorization header', () => {
    expect(bearerTokenOf(undefined)).toEqual({ problem: 'AUTH.TOKEN_REQUIRED' });
    expect(bearerTokenOf('Basic abc')).toEqual({ problem: 'AUTH.TOKEN_INVALID' });
    expect(bearerTokenOf('Bearer not-a-jwt')).toEqual({ problem: 'AUTH.TOKEN_INVALID' });
    expect(bearerTokenOf('Bearer a.b.c')).toEqual({ token: 'a.b.c' });
  });
});
