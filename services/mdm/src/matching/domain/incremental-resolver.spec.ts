import { DEFAULT_DECISION_POLICY } from './decision';
import { IncrementalResolver, MasterEvent, type RecordedEdge, recordedEdges } from './incremental-resolver';
import { MatchRecord } from './match-record';
import { rec, testModel, withDisagreement } from './test-fixtures';

/**
 * A small world with known weights (testModel): two records that agree on name, date of birth
 * and postcode link; name alone, or one of those fields alone, does not.
 */
const anna = { given: 'anna', family: 'khan' };
const annaDob = rec('a1', { ...anna, dob: '1980-03-04' });
const annaDob2 = rec('a2', { ...anna, dob: '1980-03-04', email: 'anna@x.com' });
const annaPostcode = rec('c1', { ...anna, postcode: 'L17 8XY' });
const annaPostcode2 = rec('c2', { ...anna, postcode: 'L17 8XY', phone: '0151 496 0000' });
const annaPostcode3 = rec('c3', { ...anna, postcode: 'L17 8XY', phone: '0151 496 0000' });
/** Agrees with both groups: it bridges them. */
const annaBoth = rec('b', { ...anna, dob: '1980-03-04', postcode: 'L17 8XY' });

function resolverWith(records: readonly MatchRecord[], options = {}): { sut: IncrementalResolver; events: MasterEvent[] } {
  const sut = new IncrementalResolver(testModel(), options);
  const events: MasterEvent[] = [];
  for (const r of records) events.push(...sut.add(r).events);
  return { sut, events };
}

describe(IncrementalResolver.name, () => {
  it('creates a master for a new person and links a matching record to it', () => {
    const sut = new IncrementalResolver(testModel());
    const first = sut.add(annaDob);
    const second = sut.add(annaDob2);
    expect(first).toMatchObject({ outcome: 'created', masterId: 'm-1' });
    expect(first.events).toEqual([{ type: 'created', masterId: 'm-1', version: 1, records: ['a1'] }]);
    expect(second).toMatchObject({ outcome: 'linked', masterId: 'm-1' });
    expect(second.events).toEqual([{ type: 'updated', masterId: 'm-1', version: 2, records: ['a1', 'a2'], added: ['a2'], removed: [] }]);
    expect(sut.edgesOf('a2')[0]).toMatchObject({ a: 'a2', b: 'a1', kind: 'link', modelVersion: testModel().version });
  });

  it('keeps each record\'s edges in the order they were scored, replaces a corrected record\'s and forgets a withdrawn one\'s', () => {
    const { sut } = resolverWith([annaPostcode, annaPostcode2, annaPostcode3]);
    const others = (id: string) => sut.edgesOf(id).map((e) => (e.a === id ? e.b : e.a));
    expect(others('c1')).toEqual(['c2', 'c3']);
    expect(others('c3')).toEqual(['c2', 'c1']);
    // a correction of c2: its edges are scored again and take the old ones' places, not added twice
    sut.add(rec('c2', { ...anna, postcode: 'L17 8XY', phone: '0151 496 0000', email: 'anna@x.com' }));
    expect(others('c1')).toEqual(['c3', 'c2']);
    expect(others('c2')).toEqual(['c3', 'c1']); // c3 shares the phone too: the most shared keys are scored first
    sut.withdraw('c2');
    expect(others('c1')).toEqual(['c3']);
    expect(others('c3')).toEqual(['c1']);
    expect(others('c2')).toEqual([]);
    const edge = sut.edgesOf('c1')[0]!;
    // what a caller sees and serialises is the plain edge, weight and probability included
    expect(JSON.parse(JSON.stringify(edge))).toEqual({ a: edge.a, b: edge.b, kind: edge.kind, reason: edge.reason, weight: edge.weight, probability: edge.probability, modelVersion: edge.modelVersion });
    expect(edge.probability).toBeGreaterThan(0.5);
  });

  it('keeps records that only share a name apart', () => {
    const { sut } = resolverWith([annaDob, annaPostcode]);
    expect(sut.masterOf('a1')).not.toBe(sut.masterOf('c1'));
  });

  it('merges two masters bridged by a record: the oldest id survives and the other becomes its alias', () => {
    const { sut } = resolverWith([annaDob, annaPostcode]);
    const bridge = sut.add(annaBoth);
    expect(bridge.events[0]).toMatchObject({ type: 'merged', masterId: 'm-1', mergedIds: ['m-2'], reason: 'MATCHED' });
    expect(bridge.masterId).toBe('m-1');
    expect(sut.resolve('m-2')).toBe('m-1');
    expect(sut.aliasesOf('m-1')).toEqual(['m-2']);
    expect(sut.recordsOf('m-2')).toEqual(['a1', 'c1', 'b']);
  });

  it('lists a master\'s records in arrival order after a merge and after a split', () => {
    // a1 and c1 make two masters, a2 and c2 join them, b bridges them: the merged master
    // interleaves the two masters' records as they arrived
    const { sut } = resolverWith([annaDob, annaPostcode, annaDob2, annaPostcode2]);
    const bridge = sut.add(annaBoth);
    expect(bridge.events.map((e) => [e.type, 'records' in e ? e.records : null])).toEqual([['merged', ['a1', 'c1', 'a2', 'c2']], ['updated', ['a1', 'c1', 'a2', 'c2', 'b']]]);
    expect(sut.recordsOf('m-1')).toEqual(['a1', 'c1', 'a2', 'c2', 'b']);
    const split = sut.withdraw('b');
    expect(split).toMatchObject([{ type: 'split', records: ['a1', 'a2'], parts: [{ records: ['c1', 'c2'] }] }]);
    expect(sut.snapshot().map((m) => m.records)).toEqual([['a1', 'a2'], ['c1', 'c2']]);
  });

  it('splits a master when the record that held it together is withdrawn, reviving the alias', () => {
    const { sut } = resolverWith([annaDob, annaPostcode, annaBoth]);
    const events = sut.withdraw('b');
    // Parts of equal size: the one with the oldest record keeps the id. Versions go on counting
    // through the alias's time: m-1 was made (1), merged (2), joined by b (3), split (4); m-2
    // was made (1), merged away (2), revived (3).
    expect(events).toEqual([
      { type: 'split', masterId: 'm-1', version: 4, records: ['a1'], parts: [{ masterId: 'm-2', version: 3, records: ['c1'], revived: true }] },
    ]);
    expect(sut.resolve('m-2')).toBe('m-2');
    expect(sut.aliasesOf('m-1')).toEqual([]);
    // the revived id keeps its place in creation order
    expect(sut.snapshot().map((m) => [m.masterId, m.version, m.records])).toEqual([['m-1', 4, ['a1']], ['m-2', 3, ['c1']]]);
  });

  it('leaves the id with the largest part on a split', () => {
    const { sut } = resolverWith([annaDob, annaDob2, annaPostcode, annaPostcode2, annaPostcode3, annaBoth]);
    expect(sut.snapshot()).toHaveLength(1);
    const [split] = sut.withdraw('b');
    expect(split).toMatchObject({ type: 'split', masterId: 'm-1', records: ['c1', 'c2', 'c3'] });
    // m-2 (the c group) was merged into m-1; the a group holds none of its records: a new id.
    expect(split.type === 'split' && split.parts).toEqual([{ masterId: 'm-3', version: 1, records: ['a1', 'a2'], revived: false }]);
  });

  it('retires a master whose last record is withdrawn', () => {
    const { sut } = resolverWith([annaDob]);
    expect(sut.withdraw('a1')).toEqual([{ type: 'retired', masterId: 'm-1', version: 2 }]);
    expect(sut.withdraw('a1')).toEqual([]);
  });

  it('treats a known id as a correction: the old version is withdrawn first', () => {
    const { sut } = resolverWith([annaDob, annaDob2]);
    const corrected = sut.add(rec('a2', { given: 'walter', family: 'pemberton', dob: '1932-11-20' }));
    expect(corrected.events.map((e) => e.type)).toEqual(['updated', 'created']);
    expect(sut.masterOf('a2')).not.toBe(sut.masterOf('a1'));
  });

  it('merges on a must-link and refuses one that contradicts a cannot-link', () => {
    const { sut } = resolverWith([annaDob, annaPostcode]);
    const result = sut.addMustLink('a1', 'c1');
    expect(result).toEqual({ ok: true, events: [expect.objectContaining({ type: 'merged', masterId: 'm-1', reason: 'REVIEW_DECISION' })] });
    expect(sut.addCannotLink('a1', 'c1')).toMatchObject({ ok: false, error: { code: 'MDM.CANNOT_LINK_CONFLICTS_WITH_MUST_LINK' } });
    expect(sut.addMustLink('a1', 'a1')).toMatchObject({ ok: false, error: { code: 'MDM.SAME_RECORD' } });
  });

  it('splits on a cannot-link and never re-merges the pair', () => {
    const { sut } = resolverWith([annaDob, annaPostcode, annaBoth]);
    const result = sut.addCannotLink('a1', 'c1');
    expect(result.ok && result.events[0]).toMatchObject({ type: 'split' });
    expect(sut.masterOf('a1')).not.toBe(sut.masterOf('c1'));
    // Another bridging record arrives: it may join one side, not merge them again.
    sut.add(rec('b2', { ...anna, dob: '1980-03-04', postcode: 'L17 8XY' }));
    expect(sut.masterOf('a1')).not.toBe(sut.masterOf('c1'));
    expect(sut.addMustLink('a1', 'c1')).toMatchObject({ ok: false, error: { code: 'MDM.MUST_LINK_CONFLICTS_WITH_CANNOT_LINK' } });
  });

  it('honours a cannot-link given before the records arrive', () => {
    const sut = new IncrementalResolver(testModel());
    sut.addCannotLink('a1', 'a2');
    sut.add(annaDob);
    expect(sut.add(annaDob2).outcome).toBe('created');
  });

  it('honours a must-link given before the records arrive, whatever the blocking finds', () => {
    const sut = new IncrementalResolver(testModel());
    sut.addMustLink('x', 'y');
    sut.add(rec('x', { given: 'anna' }));
    expect(sut.add(rec('y', { given: 'zebedee' })).outcome).toBe('linked');
  });

  it('with the pairwise-support guard, queues a bridge between unrelated masters for review instead of merging', () => {
    // A name alone is not even worth a review here, so the two masters share no edge.
    const policy = { ...DEFAULT_DECISION_POLICY, reviewProbability: 0.8 };
    const { sut } = resolverWith([annaDob, annaPostcode], { policy, mergeGuard: { minBridgeProbability: 0.9, requirePairwiseSupport: true } });
    const bridge = sut.add(annaBoth);
    expect(bridge.events.map((e) => e.type)).toEqual(['updated']);
    expect(bridge.reviews).toEqual([expect.objectContaining({ recordId: 'b', reason: 'merge-guard' })]);
    expect(sut.masterOf('a1')).not.toBe(sut.masterOf('c1'));
    expect(sut.reviewQueue()).toHaveLength(1);
    // a reviewer joins the two masters: the pair is answered and leaves the queue
    expect(sut.addMustLink('a1', 'c1').ok).toBe(true);
    expect(sut.reviewQueue()).toEqual([]);
  });

  it('forgets a withdrawn record\'s review pairs', () => {
    const policy = { ...DEFAULT_DECISION_POLICY, reviewProbability: 0.8 };
    const { sut } = resolverWith([annaDob, annaPostcode], { policy, mergeGuard: { minBridgeProbability: 0.9, requirePairwiseSupport: true } });
    sut.add(annaBoth);
    expect(sut.reviewQueue()).toHaveLength(1);
    sut.withdraw('b');
    expect(sut.reviewQueue()).toEqual([]);
  });

  it('does not join a record to a master whose birth dates it contradicts, through a record that has none', () => {
    // A father and son of one name at one address; the council's record of the son has no birth date.
    const home = { given: 'peter', family: 'skeffington', postcode: 'L3 2UA', line: '6 Hawthorn Grove' };
    const generous = testModel({ probabilityTwoRandomRecordsMatch: 0.2 });
    const records = [rec('son', { ...home, dob: '1990-11-23' }), rec('council', home), rec('father', { ...home, dob: '1961-05-02' })];
    const guarded = new IncrementalResolver(generous);
    for (const r of records.slice(0, 2)) guarded.add(r);
    expect(guarded.masterOf('council')).toBe(guarded.masterOf('son'));
    const father = guarded.add(records[2]!);
    expect(father.edges).toEqual(expect.arrayContaining([expect.objectContaining({ b: 'council', kind: 'link' })]));
    expect(father.outcome).toBe('created');
    expect(father.reviews).toEqual(expect.arrayContaining([expect.objectContaining({ otherRecordId: 'council', reason: 'conflict-guard' })]));
    // Without the guard the link to the son's council record carries the father into the son's master.
    const unguarded = new IncrementalResolver(generous, { policy: { ...DEFAULT_DECISION_POLICY, conflictGuard: false } });
    for (const r of records) unguarded.add(r);
    expect(unguarded.masterOf('father')).toBe(unguarded.masterOf('son'));
  });

  it('does not join a record to a master whose middle names it contradicts, where the model keeps middle names reliably', () => {
    const home = { given: 'henry', family: 'odonnell', postcode: 'L3 2UA', line: '6 Hawthorn Grove' };
    const reliableMiddle = withDisagreement(testModel({ probabilityTwoRandomRecordsMatch: 0.2 }), 'middle name', 0.0001);
    const records = [rec('gp', { ...home, middle: 'paul', dob: '2008-12-21' }), rec('school', home), rec('council', { ...home, middle: 'john' })];
    const guarded = new IncrementalResolver(reliableMiddle);
    for (const r of records.slice(0, 2)) guarded.add(r);
    expect(guarded.masterOf('school')).toBe(guarded.masterOf('gp'));
    const council = guarded.add(records[2]!);
    expect(council.outcome).toBe('created');
    expect(council.reviews).toEqual(expect.arrayContaining([expect.objectContaining({ otherRecordId: 'school', reason: 'conflict-guard' })]));
    // Where middle names are not reliable (the default model), the record joins.
    const lenient = new IncrementalResolver(testModel({ probabilityTwoRandomRecordsMatch: 0.2 }));
    for (const r of records) lenient.add(r);
    expect(lenient.masterOf('council')).toBe(lenient.masterOf('gp'));
  });

  it('does not merge two different people who share an NHS number', () => {
    const sut = new IncrementalResolver(testModel());
    sut.add(rec('p1', { given: 'anna', family: 'khan', sex: 'FEMALE', dob: '1980-03-04', ids: [['NHS', '9434765919']] }));
    const second = sut.add(rec('p2', { given: 'walter', family: 'pemberton', sex: 'MALE', dob: '1932-11-20', ids: [['NHS', '9434765919']] }));
    expect(second.outcome).toBe('created');
    expect(second.inReview).toBe(true);
    expect(sut.reviewQueue()).toEqual([expect.objectContaining({ recordId: 'p2', otherRecordId: 'p1', reason: 'conflicting-identifier' })]);
  });

  it('is deterministic: the same order gives the same masters and events', () => {
    const order = [annaPostcode, annaDob2, annaBoth, annaDob, annaPostcode2, rec('z', { given: 'zed', family: 'young' })];
    const first = resolverWith(order);
    const second = resolverWith(order);
    expect(second.events).toEqual(first.events);
    expect(second.sut.snapshot()).toEqual(first.sut.snapshot());
  });

  it('scores absurd records without failing and within the candidate cap', () => {
    const sut = new IncrementalResolver(testModel(), { maxCandidates: 5 });
    for (let i = 0; i < 30; i++) sut.add(rec(`x${i}`, { given: '😀'.repeat(300), family: 'q'.repeat(300), dob: '1066-10-14', email: 'same@x.com' }));
    const last = sut.add(rec('y', { given: 'q'.repeat(300), family: 'q'.repeat(300), email: 'same@x.com' }));
    expect(last.candidates).toBe(5);
  });

  describe('recorded edges (a replay of the log)', () => {
    // a reviewer's must-link (a1 and c2), then a correction of c2: the restored edges must include the must-link
    const arrivals = [annaDob, annaPostcode, annaDob2, annaPostcode2, rec('c2', { ...anna, postcode: 'L17 8XY', email: 'anna@x.com' }), annaBoth, annaPostcode3];
    function mustLink(sut: IncrementalResolver): MasterEvent[] {
      const result = sut.addMustLink('a1', 'c2');
      if (!result.ok) throw new Error(result.error.message);
      return [...result.events];
    }
    const plain = (sut: IncrementalResolver, id: string) => JSON.parse(JSON.stringify(sut.edgesOf(id))) as unknown;
    function scored(): { sut: IncrementalResolver; recorded: RecordedEdge[][]; events: MasterEvent[] } {
      const sut = new IncrementalResolver(testModel());
      const recorded: RecordedEdge[][] = [];
      const events: MasterEvent[] = [];
      arrivals.forEach((r, n) => {
        if (n === 4) events.push(...mustLink(sut));
        const resolution = sut.add(r);
        recorded.push(recordedEdges(r.id, resolution.edges));
        events.push(...resolution.events);
      });
      return { sut, recorded, events };
    }

    it('restores the same edges, masters, events and review queue as scoring, without asking the blocking', () => {
      const live = scored();
      const replay = new IncrementalResolver(testModel());
      const events: MasterEvent[] = [];
      arrivals.forEach((r, n) => {
        if (n === 4) events.push(...mustLink(replay));
        const resolution = replay.add(r, live.recorded[n]);
        expect(resolution.candidates).toBe(0);
        events.push(...resolution.events);
      });
      expect(live.recorded.some((edges) => edges.length > 1)).toBe(true);
      expect(events).toEqual(live.events);
      expect(replay.snapshot()).toEqual(live.sut.snapshot());
      expect(replay.reviewQueue()).toEqual(live.sut.reviewQueue());
      for (const r of arrivals) expect(plain(replay, r.id)).toEqual(plain(live.sut, r.id));
    });

    it('keeps what was recorded, not what the matcher would now decide', () => {
      // two records that share only a name stay apart when scored; a log that says they linked is obeyed
      const replay = new IncrementalResolver(testModel());
      replay.add(annaDob, []);
      const second = replay.add(annaPostcode, [['a1', 'link', 'score', 20]]);
      expect(second.outcome).toBe('linked');
      expect(replay.masterOf('c1')).toBe(replay.masterOf('a1'));
      expect(replay.edgesOf('c1')[0]!.weight).toBe(20);
    });

    it('scores as usual when a recorded edge names a record it does not hold', () => {
      const replay = new IncrementalResolver(testModel());
      replay.add(annaDob);
      const second = replay.add(annaDob2, [['not-held', 'link', 'score', 20]]);
      expect(second.candidates).toBeGreaterThan(0);
      expect(replay.edgesOf('a2').map((e) => e.b)).toEqual(['a1']);
    });
  });

  describe('rescore', () => {
    it('changes nothing when the model gives the same decisions', () => {
      const { sut } = resolverWith([annaDob, annaDob2, annaPostcode, annaPostcode2]);
      const before = sut.snapshot();
      expect(sut.rescore(testModel({ probabilityTwoRandomRecordsMatch: 1.01e-4 }))).toEqual([]);
      expect(sut.snapshot().map((m) => m.records)).toEqual(before.map((m) => m.records));
    });

    it('merges what a more lenient model links, oldest id surviving, as ordinary merge events', () => {
      const { sut } = resolverWith([annaDob, annaPostcode]);
      expect(sut.masterOf('a1')).not.toBe(sut.masterOf('c1'));
      const lenient = testModel({ probabilityTwoRandomRecordsMatch: 0.5 });
      const events = sut.rescore(lenient);
      expect(events).toEqual([expect.objectContaining({ type: 'merged', masterId: 'm-1', mergedIds: ['m-2'], reason: 'MODEL_PROMOTED' })]);
      expect(sut.resolve('m-2')).toBe('m-1');
      expect(sut.edgesOf('a1')[0]).toMatchObject({ modelVersion: lenient.version });
    });

    it('splits what a stricter model no longer links, and keeps a reviewer\'s must-link', () => {
      const { sut } = resolverWith([annaDob, annaDob2, annaPostcode, annaPostcode2]);
      expect(sut.addMustLink('c1', 'c2').ok).toBe(true);
      const strict = testModel({ probabilityTwoRandomRecordsMatch: 1e-12 });
      const events = sut.rescore(strict);
      expect(events.some((e) => e.type === 'split')).toBe(true);
      expect(sut.masterOf('a1')).not.toBe(sut.masterOf('a2'));
      expect(sut.masterOf('c1')).toBe(sut.masterOf('c2'));
    });

    it('never merges what a reviewer said are different people', () => {
      const { sut } = resolverWith([annaDob, annaPostcode]);
      expect(sut.addCannotLink('a1', 'c1').ok).toBe(true);
      expect(sut.rescore(testModel({ probabilityTwoRandomRecordsMatch: 0.5 }))).toEqual([]);
      expect(sut.masterOf('a1')).not.toBe(sut.masterOf('c1'));
    });
  });
});
