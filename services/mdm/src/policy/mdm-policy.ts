import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_SURVIVORSHIP_POLICY, type SurvivorshipPolicy } from '../golden-record/domain';
import { DEFAULT_DECISION_POLICY, type DecisionPolicy } from '../matching/domain';

/**
 * What an installation may decide about matching and survivorship without code: which
 * identifier schemes may link on their own, and how far each source is trusted per field.
 * Thresholds are not here on purpose: they belong to the model's evaluation and change only
 * with a reviewed model.
 */
export interface MdmPolicy {
  decision: DecisionPolicy;
  survivorship: SurvivorshipPolicy;
}

const SCHEMES = ['NHS', 'UPN', 'NI', 'PNC', 'LOCAL', 'OTHER'] as const;
const trustTable = z.record(z.string().min(1), z.number().min(0).max(100));
const policyFile = z.object({
  matching: z.object({
    /** Schemes whose exact agreement (with a compatible date of birth) links on its own. */
    trustedIdentifierSchemes: z.array(z.enum(SCHEMES)).max(SCHEMES.length),
  }).strict().optional(),
  survivorship: z.object({
    trust: trustTable,
    defaultTrust: z.number().min(0).max(100),
    fieldTrust: z.record(z.string().regex(/^(name|dateOfBirth|sex|addresses|emails|phones|identifiers\.[A-Z]+)$/, 'a field group: name, dateOfBirth, sex, addresses, emails, phones or identifiers.<SCHEME>'), trustTable).optional(),
  }).strict().optional(),
}).strict();

export class PolicyFileError extends Error {}

/** The shipped defaults, overridden section by section by the file when one is given. */
export function loadMdmPolicy(path?: string): MdmPolicy {
  if (!path) return { decision: DEFAULT_DECISION_POLICY, survivorship: DEFAULT_SURVIVORSHIP_POLICY };
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PolicyFileError(`${path}: cannot be read as YAML or JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = policyFile.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new PolicyFileError(`${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ')}`);
  }
  return {
    decision: parsed.data.matching ? { ...DEFAULT_DECISION_POLICY, trustedIdentifierSchemes: parsed.data.matching.trustedIdentifierSchemes } : DEFAULT_DECISION_POLICY,
    survivorship: parsed.data.survivorship ?? DEFAULT_SURVIVORSHIP_POLICY,
  };
}
