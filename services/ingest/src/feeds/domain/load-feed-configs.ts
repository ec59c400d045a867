import type { AgreementRecord, FeedConfig } from './feed-config';
import { FeedConfigError, FeedConfigProblem, formatPath } from './feed-config-error';
import { agreementsFileSchema, feedConfigSchema } from './feed-config.schema';

/** The property a reader may set on a parsed document to say which file it came from. */
export const SOURCE_FILE_KEY = '__file';

function splitSourceFile(document: unknown, fallback: string | null): { body: unknown; file: string | null } {
  if (document === null || typeof document !== 'object' || Array.isArray(document) || !(SOURCE_FILE_KEY in document)) return { body: document, file: fallback };
  const { [SOURCE_FILE_KEY]: file, ...body } = document as Record<string, unknown>;
  return { body, file: typeof file === 'string' ? file : fallback };
}

function feedNameOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object') return null;
  const name = (body as Record<string, unknown>).name;
  return typeof name === 'string' ? name : null;
}

/**
 * Validates feed configurations (plain objects parsed from YAML or JSON, one feed each) and
 * returns them with defaults filled in. Throws a FeedConfigError listing every problem of
 * every document, each naming its file, feed and field path. A document may carry its file
 * name in a `__file` property, or `files[i]` names `documents[i]`.
 */
export function loadFeedConfigs(documents: readonly unknown[], files: readonly string[] = []): FeedConfig[] {
  const problems: FeedConfigProblem[] = [];
  const configs: FeedConfig[] = [];
  const seen = new Map<string, string | null>();
  documents.forEach((document, i) => {
    const { body, file } = splitSourceFile(document, files[i] ?? null);
    const feed = feedNameOf(body);
    const result = feedConfigSchema.safeParse(body);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push({ file, feed, path: formatPath(issue.path), message: issue.message });
      return;
    }
    const config = result.data;
    if (seen.has(config.name)) {
      problems.push({ file, feed, path: 'name', message: `another configuration${seen.get(config.name) ? ` (${seen.get(config.name)})` : ''} already defines this feed` });
      return;
    }
    seen.set(config.name, file);
    configs.push(config);
  });
  if (problems.length > 0) throw new FeedConfigError(problems);
  return configs;
}

/** One configuration; see loadFeedConfigs. */
export function loadFeedConfig(document: unknown, file: string | null = null): FeedConfig {
  return loadFeedConfigs([document], file === null ? [] : [file])[0];
}

/** Validates agreements.yaml ({agreements: [...]}) the same way. */
export function loadAgreements(document: unknown, file: string | null = null): AgreementRecord[] {
  const { body, file: named } = splitSourceFile(document, file);
  const result = agreementsFileSchema.safeParse(body);
  if (!result.success) {
    throw new FeedConfigError(result.error.issues.map((issue) => ({ file: named, feed: null, path: formatPath(issue.path), message: issue.message })));
  }
  const agreements = result.data.agreements as AgreementRecord[];
  const ids = new Set<string>();
  const problems: FeedConfigProblem[] = [];
  agreements.forEach((a, i) => {
    if (ids.has(a.id)) problems.push({ file: named, feed: null, path: `agreements[${i}].id`, message: `agreement ${a.id} is listed twice` });
    ids.add(a.id);
  });
  if (problems.length > 0) throw new FeedConfigError(problems);
  return agreements;
}

/** Problems where a feed's agreement does not match the register (unknown id, other lawful basis, sensitivity or dates). */
export function checkFeedAgreements(configs: readonly FeedConfig[], agreements: readonly AgreementRecord[]): FeedConfigProblem[] {
  const byId = new Map(agreements.map((a) => [a.id, a]));
  const problems: FeedConfigProblem[] = [];
  for (const config of configs) {
    const a = byId.get(config.agreement.id);
    const problem = (path: string, message: string) => problems.push({ file: null, feed: config.name, path, message });
    if (a === undefined) {
      problem('agreement.id', `agreement ${config.agreement.id} is not in the register`);
      continue;
    }
    if (a.lawfulBasis !== config.agreement.lawfulBasis) problem('agreement.lawfulBasis', `the register says ${a.lawfulBasis}`);
    if (a.sensitivity !== config.agreement.sensitivity) problem('agreement.sensitivity', `the register says ${a.sensitivity}`);
    if (a.validFrom !== config.agreement.validFrom) problem('agreement.validFrom', `the register says ${a.validFrom}`);
    if (a.validTo !== config.agreement.validTo) problem('agreement.validTo', `the register says ${a.validTo ?? 'open-ended'}`);
  }
  return problems;
}

/** Whether an agreement is in force on a day ('YYYY-MM-DD'). */
export function isAgreementActive(agreement: { validFrom: string; validTo: string | null }, day: string): boolean {
  return agreement.validFrom <= day && (agreement.validTo === null || day <= agreement.validTo);
}
