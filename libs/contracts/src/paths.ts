import { join } from 'node:path';

// This file sits directly under src/ (tests, ts) and dist/ (built code), so the same
// relative paths reach the lib's folders from both.
export const CONTRACTS_ROOT = join(__dirname, '..');
export const SCHEMAS_DIR = join(CONTRACTS_ROOT, 'schemas');
export const FIXTURES_DIR = join(CONTRACTS_ROOT, 'fixtures');
export const GENERATED_DIR = join(CONTRACTS_ROOT, 'src', 'generated');
