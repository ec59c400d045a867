import type {
  FieldProvenance, MasterPersonCreated, MasterPersonMerged, MasterPersonSplit, MasterPersonUpdated, PersonDetails, SourceRecordRef,
} from '@hub/contracts';

/** One master person as portal-api keeps it. */
export interface PersonState {
  id: string;
  version: number;
  status: 'active' | 'alias' | 'retired';
  survivorId: string | null;
  golden: PersonDetails | null;
  provenance: FieldProvenance[];
  sourceRecords: SourceRecordRef[];
  aliases: string[];
  modelVersion: string | null;
}

export type MasterPersonEvent =
  | { name: 'MasterPersonCreated'; value: MasterPersonCreated }
  | { name: 'MasterPersonUpdated'; value: MasterPersonUpdated }
  | { name: 'MasterPersonMerged'; value: MasterPersonMerged }
  | { name: 'MasterPersonSplit'; value: MasterPersonSplit };

/** What one event says about one master. */
export type PersonChange =
  /** The master's whole state at `version`; `revives` when it comes from a split part (the one way an alias comes back). */
  | { kind: 'state'; id: string; version: number; golden: PersonDetails; provenance: FieldProvenance[]; sourceRecords: SourceRecordRef[]; aliases: string[]; modelVersion: string | null; revives: boolean }
  /** The master became an alias of the survivor (mdm bumps its version by one; the event does not carry it). */
  | { kind: 'alias'; id: string; survivorId: string }
  /** A split's kept master when the event lists only the parts that left it: its records and aliases shrink. */
  | { kind: 'kept'; id: string; version: number; lostRecords: SourceRecordRef[]; lostAliases: string[]; modelVersion: string | null }
  /** A tombstone on the master's key: everything held about it is erased. */
  | { kind: 'erased'; id: string };

/** The changes of one event; the first is the event's own master and decides whether the rest apply. */
export function changesOf(event: MasterPersonEvent): PersonChange[] {
  switch (event.name) {
    case 'MasterPersonCreated':
    case 'MasterPersonUpdated': {
      const v = event.value;
      return [{ kind: 'state', id: v.masterPersonId, version: v.version, golden: v.golden.person, provenance: v.golden.provenance, sourceRecords: v.sourceRecords, aliases: v.aliases, modelVersion: v.modelVersion, revives: false }];
    }
    case 'MasterPersonMerged': {
      const v = event.value;
      return [
        { kind: 'state', id: v.masterPersonId, version: v.version, golden: v.golden.person, provenance: v.golden.provenance, sourceRecords: v.sourceRecords, aliases: v.aliases, modelVersion: v.modelVersion, revives: false },
        ...v.mergedIds.filter((id) => id !== v.masterPersonId).map((id): PersonChange => ({ kind: 'alias', id, survivorId: v.masterPersonId })),
      ];
    }
    case 'MasterPersonSplit': {
      const v = event.value;
      const part = (p: MasterPersonSplit['parts'][number]): PersonChange => ({
        kind: 'state', id: p.masterPersonId, version: p.version, golden: p.golden.person, provenance: p.golden.provenance, sourceRecords: p.sourceRecords, aliases: p.aliases, modelVersion: v.modelVersion, revives: true,
      });
      const own = v.parts.find((p) => p.masterPersonId === v.masterPersonId);
      const others = v.parts.filter((p) => p.masterPersonId !== v.masterPersonId);
      const first: PersonChange = own
        ? { ...(part(own) as Extract<PersonChange, { kind: 'state' }>), version: v.version, revives: false }
        : { kind: 'kept', id: v.masterPersonId, version: v.version, lostRecords: others.flatMap((p) => p.sourceRecords), lostAliases: others.flatMap((p) => [p.masterPersonId, ...p.aliases]), modelVersion: v.modelVersion };
      return [first, ...others.map(part)];
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown master-person event ${(unknown as { name: string }).name}`);
    }
  }
}

const sameRecord = (a: SourceRecordRef, b: SourceRecordRef) => a.sourceSystem === b.sourceSystem && a.sourceRecordId === b.sourceRecordId;

/**
 * The master after one change, or `undefined` when the change is not news: a version not
 * newer than the one held (a redelivery, or an event overtaken by a later one), or an own
 * event of a master that is an alias (while a master is an alias mdm says nothing on its key,
 * so such an event predates the merge; an alias comes back only as a split part).
 * `null` means the master is erased.
 */
export function evolve(current: PersonState | undefined, change: PersonChange): PersonState | null | undefined {
  switch (change.kind) {
    case 'state': {
      if (current && current.version >= change.version) return undefined;
      if (current?.status === 'alias' && !change.revives) return undefined;
      return {
        id: change.id, version: change.version, status: change.sourceRecords.length > 0 ? 'active' : 'retired', survivorId: null,
        golden: change.sourceRecords.length > 0 ? change.golden : null, provenance: change.sourceRecords.length > 0 ? change.provenance : [],
        sourceRecords: change.sourceRecords, aliases: change.aliases, modelVersion: change.modelVersion,
      };
    }
    case 'alias':
      if (current?.status === 'alias' && current.survivorId === change.survivorId) return undefined;
      return { id: change.id, version: (current?.version ?? 0) + 1, status: 'alias', survivorId: change.survivorId, golden: null, provenance: [], sourceRecords: [], aliases: [], modelVersion: current?.modelVersion ?? null };
    case 'kept': {
      if (!current || current.version >= change.version) return undefined;
      const sourceRecords = current.sourceRecords.filter((r) => !change.lostRecords.some((lost) => sameRecord(lost, r)));
      const lostIds = new Set(change.lostAliases);
      const lostSources = new Set(change.lostRecords.map((r) => `${r.sourceSystem}/${r.sourceRecordId}`));
      return {
        ...current, version: change.version, status: sourceRecords.length > 0 ? 'active' : 'retired',
        // fields whose chosen value came from a record that left are no longer vouched for
        provenance: current.provenance.filter((p) => !lostSources.has(`${p.source.sourceSystem}/${p.source.sourceRecordId}`)),
        sourceRecords, aliases: current.aliases.filter((id) => !lostIds.has(id)), modelVersion: change.modelVersion,
      };
    }
    case 'erased':
      return current ? null : undefined;
    default: {
      const unknown: never = change;
      throw new Error(`unknown change ${(unknown as { kind: string }).kind}`);
    }
  }
}

/**
 * Applies one event's changes to the masters it touches (`held`, by id) and returns the
 * masters that changed (null: erased). When the event's own master does not take the change
 * the event is stale, and none of its other changes apply either.
 */
export function applyEvent(held: ReadonlyMap<string, PersonState>, changes: readonly PersonChange[]): Map<string, PersonState | null> {
  const changed = new Map<string, PersonState | null>();
  const [first, ...rest] = changes;
  if (!first) return changed;
  const head = evolve(held.get(first.id), first);
  if (head === undefined) return changed;
  changed.set(first.id, head);
  for (const change of rest) {
    const next = evolve(changed.get(change.id) ?? held.get(change.id), change);
    if (next !== undefined) changed.set(change.id, next);
  }
  return changed;
}
