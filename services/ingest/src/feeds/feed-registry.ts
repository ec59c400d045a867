import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileFeed, type CompiledFeed, loadFeedConfigs } from './domain';

/** An expected failure of a whole request or load, with a stable code (and an HTTP status for the API). */
export class IngestError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = 'IngestError';
  }
}

export const defaultFeedsDir = join(__dirname, '..', '..', 'config', 'feeds');

export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The feeds ingest knows, read from YAML files (one feed per file) and validated at start:
 * a bad file stops the service with the file, feed and field named. A new feed is a new
 * file, not code.
 */
export class FeedRegistry {
  private readonly feeds = new Map<string, CompiledFeed>();

  /**
   * `source`: the folders and day the feeds were compiled from, so that a worker thread can
   * compile the same feeds (compiled feeds hold functions, which do not cross threads).
   */
  constructor(compiled: CompiledFeed[], readonly source?: { dirs: readonly string[]; date: string }) {
    for (const feed of compiled) this.feeds.set(feed.name, feed);
  }

  static fromDirectory(dir = defaultFeedsDir, date = today()): FeedRegistry {
    return FeedRegistry.fromDirectories([dir], date);
  }

  /** Feeds from several folders (the shipped ones and a council's own, say); names must not repeat. */
  static fromDirectories(dirs: readonly string[], date = today()): FeedRegistry {
    const files = dirs.flatMap((dir) => readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort().map((file) => join(dir, file)));
    const parsed = files.map((file) => {
      try {
        return { ...(parse(readFileSync(file, 'utf8')) as object), __file: file.split('/').slice(-1)[0] };
      } catch (error) {
        throw new IngestError('INGEST.INVALID_MAPPING', `${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
      }
    });
    const configs = loadFeedConfigs(parsed);
    return new FeedRegistry(configs.map((config) => compileFeed(config, { today: date })), { dirs, date });
  }

  names(): string[] {
    return [...this.feeds.keys()].sort();
  }

  all(): CompiledFeed[] {
    return this.names().map((name) => this.feeds.get(name)!);
  }

  /** The feed, if it exists and its data-sharing agreement is in force on the given day. */
  get(name: string, date = today()): CompiledFeed {
    const feed = this.feeds.get(name);
    if (!feed) throw new IngestError('INGEST.UNKNOWN_FEED', `no feed named ${JSON.stringify(name.slice(0, 100))}`, 404);
    const { agreement } = feed;
    if (!agreement || agreement.validFrom > date || (agreement.validTo && agreement.validTo < date)) {
      throw new IngestError('INGEST.NO_ACTIVE_AGREEMENT', `feed ${name} has no data-sharing agreement in force on ${date}: ingest refuses its data`, 403);
    }
    return feed;
  }
}
