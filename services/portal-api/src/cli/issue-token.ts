import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';

// For a local stack only: prints a bearer token for portal-api signed with PORTAL_JWT_SECRET
// (or the secret `npm run stack:up` generated in .run/secrets). In production an identity
// provider issues these. Usage: node services/portal-api/dist/cli/issue-token.js <subject> [role...]
const [subject, ...roles] = process.argv.slice(2);
if (!subject) {
  process.stderr.write('usage: issue-token <subject> [reviewer] [auditor]\n');
  process.exit(64);
}
const secret = process.env.PORTAL_JWT_SECRET ?? readFileSync(join(__dirname, '..', '..', '..', '..', '.run', 'secrets', 'portal-jwt-secret'), 'utf8').trim();
let jwt = new SignJWT({ roles }).setProtectedHeader({ alg: 'HS256' });
if (process.env.PORTAL_JWT_ISSUER) jwt = jwt.setIssuer(process.env.PORTAL_JWT_ISSUER);
if (process.env.PORTAL_JWT_AUDIENCE) jwt = jwt.setAudience(process.env.PORTAL_JWT_AUDIENCE);
void jwt
  .setSubject(subject)
  .setIssuedAt()
  .setExpirationTime(process.env.TOKEN_TTL ?? '8h')
  .sign(new TextEncoder().encode(secret))
  .then((token) => process.stdout.write(`${token}\n`));
