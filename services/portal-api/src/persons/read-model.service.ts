import { decode } from '@hub/contracts';
import { type ConsumedMessage, keepUnprocessed, type Logger, PermanentError } from '@hub/platform';
import type { DataSource } from 'typeorm';
import { applyEvent, changesOf, type MasterPersonEvent, type PersonChange, type PersonState } from './domain/read-model';
import type { PersonCache } from './person-cache';
import type { PersonRepository } from './person.repository';

const CONSUMER = 'portal-api';
const MASTER_EVENTS = new Set(['MasterPersonCreated', 'MasterPersonUpdated', 'MasterPersonMerged', 'MasterPersonSplit']);

interface Incoming {
  /** null for a tombstone: it has no event id, and erasing twice changes nothing. */
  eventId: string | null;
  changes: PersonChange[];
}

function incomingOf(message: ConsumedMessage): Incoming {
  if (!message.value) {
    if (!message.key) throw new PermanentError('PORTAL.TOMBSTONE_WITHOUT_KEY', 'a tombstone without a key names no master');
    return { eventId: null, changes: [{ kind: 'erased', id: message.key.toString() }] };
  }
  const decoded = decode(message.value);
  if (!MASTER_EVENTS.has(decoded.name)) throw new PermanentError('PORTAL.UNEXPECTED_CONTRACT', `portal-api does not handle ${decoded.name} on this topic`);
  const event = { name: decoded.name, value: decoded.value } as MasterPersonEvent;
  return { eventId: event.value.envelope.eventId, changes: changesOf(event) };
}

/**
 * Keeps the `person` read model in step with the master-person topic: each batch's changes
 * and the ids of the events it processed commit in one transaction; older versions change
 * nothing, so redelivery and reordering across partitions are harmless. The cache is
 * refreshed after the commit.
 */
export class ReadModelService {
  constructor(private readonly dataSource: DataSource, private readonly persons: PersonRepository, private readonly cache: PersonCache, private readonly logger: Logger) {}

  async handle(messages: readonly ConsumedMessage[]): Promise<void> {
    const incoming = messages.map(incomingOf);
    const changed = await this.dataSource.transaction(async (manager) => {
      const withIds = incoming.filter((i): i is Incoming & { eventId: string } => i.eventId !== null);
      const fresh = new Set((await keepUnprocessed(manager, CONSUMER, withIds, (i) => i.eventId)).map((i) => i.eventId));
      const todo = incoming.filter((i) => i.eventId === null || fresh.delete(i.eventId));
      const held = await this.persons.lock(manager, todo.flatMap((i) => i.changes.map((c) => c.id)));
      const touched = new Map<string, PersonState | null>();
      for (const item of todo) {
        for (const [id, state] of applyEvent(held, item.changes)) {
          if (state) held.set(id, state);
          else held.delete(id);
          touched.set(id, state);
        }
      }
      await this.persons.save(manager, touched);
      return touched;
    });
    await this.cache.replace(changed);
    this.logger.debug({ messages: messages.length, changed: changed.size }, 'master persons applied');
  }
}
