import type { EntityManager } from 'typeorm';

/**
 * Records, in the caller's transaction, that a consumer has processed these events, and
 * returns the ids it had not processed before. The caller applies only those: a redelivered
 * event finds its id already recorded and changes nothing. Because the record commits with
 * the effect, a crash between the two is impossible.
 */
export async function claimUnprocessed(manager: EntityManager, consumer: string, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const unique = [...new Set(eventIds)];
  const rows: { event_id: string }[] = await manager.query(
    `INSERT INTO processed_event (consumer, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, unique],
  );
  return new Set(rows.map((row) => row.event_id));
}

/**
 * The events of a batch this consumer has not processed before, each once (a batch can hold
 * the same event twice when a producer retried), in their original order, claimed in the
 * caller's transaction.
 */
export async function keepUnprocessed<T>(manager: EntityManager, consumer: string, events: readonly T[], eventIdOf: (event: T) => string): Promise<T[]> {
  const fresh = await claimUnprocessed(manager, consumer, events.map(eventIdOf));
  const kept: T[] = [];
  for (const event of events) {
    const id = eventIdOf(event);
    if (fresh.delete(id)) kept.push(event);
  }
  return kept;
}
