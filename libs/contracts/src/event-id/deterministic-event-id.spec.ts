import { deterministicEventId, uuidV5 } from './deterministic-event-id';

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

describe(deterministicEventId.name, () => {
  it('computes UUID v5 as other implementations do (values from Python uuid.uuid5)', () => {
    expect(uuidV5('python.org', DNS)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5('https://example.org/a', URL)).toBe('77980eae-c343-5b01-9823-eb6ac1da021f');
  });

  it('gives the same id for the same parts', () => {
    const parts = ['police-feed', 'P-1001', 'person', '7'];
    expect(deterministicEventId(parts)).toBe(deterministicEventId([...parts]));
    expect(deterministicEventId(parts)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives a different id when any part changes, including a new version', () => {
    const base = deterministicEventId(['police-feed', 'P-1001', 'person', '7']);
    expect(deterministicEventId(['police-feed', 'P-1001', 'person', '8'])).not.toBe(base);
    expect(deterministicEventId(['school-feed', 'P-1001', 'person', '7'])).not.toBe(base);
  });

  it('does not confuse parts that concatenate to the same text', () => {
    expect(deterministicEventId(['a|b', 'c'])).not.toBe(deterministicEventId(['a', 'b|c']));
    expect(deterministicEventId(['ab', 'c'])).not.toBe(deterministicEventId(['a', 'bc']));
  });

  it('refuses an empty list of parts', () => {
    expect(() => deterministicEventId([])).toThrow('at least one part');
  });
});
