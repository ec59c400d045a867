/** One thing wrong with a feed configuration, located precisely enough to fix it. */
export interface FeedConfigProblem {
  /** The file the configuration came from, when known. */
  file: string | null;
  /** The feed's name, when it could be read. */
  feed: string | null;
  /** The field path inside the configuration, e.g. records[0].fields.dateOfBirth.column. */
  path: string;
  message: string;
}

export function describeProblem(p: FeedConfigProblem): string {
  const where = [p.file, p.feed === null ? null : `feed "${p.feed}"`].filter((x) => x !== null).join(', ');
  return `${where.length > 0 ? `${where}: ` : ''}${p.path.length > 0 ? p.path : '(root)'}: ${p.message}`;
}

/**
 * An invalid feed configuration. This is thrown (not returned) because configuration is read
 * once at start or when a mapping is installed, and a bad one must stop that, with every
 * problem listed at once.
 */
export class FeedConfigError extends Error {
  readonly code = 'INGEST.INVALID_MAPPING';

  constructor(readonly problems: readonly FeedConfigProblem[]) {
    super(`invalid feed configuration:\n${problems.map((p) => `  - ${describeProblem(p)}`).join('\n')}`);
    this.name = 'FeedConfigError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out.length === 0 ? String(part) : `.${String(part)}`;
  }
  return out;
}
