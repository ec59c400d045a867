import { decide, DEFAULT_DECISION_POLICY } from './decision';
import { score } from './model';
import { rec, testModel } from './test-fixtures';

describe('decide', () => {
  const model = testModel();
  const policy = DEFAULT_DECISION_POLICY;

  it('links above the upper threshold, reviews between, and makes new below', () => {
    const a = rec('a', { given: 'anna', family: 'khan', dob: '1980-03-04', postcode: 'L1 1AA' });
    expect(decide(score(a, rec('b', { given: 'anna', family: 'khan', dob: '1980-03-04', postcode: 'L1 1AA' }), model), policy)).toEqual({ outcome: 'link', reason: 'score' });
    expect(decide(score(a, rec('c', { given: 'zed', family: 'young', dob: '1990-01-01' }), model), policy)).toEqual({ outcome: 'new' });
    const between = score(a, rec('d', { given: 'anna', family: 'khan' }), model);
    const bandPolicy = { ...policy, linkProbability: between.probability + 0.01, reviewProbability: between.probability - 0.01 };
    expect(decide(between, bandPolicy)).toEqual({ outcome: 'review', reason: 'score' });
  });

  it('lets a trusted identifier with a compatible date of birth decide alone', () => {
    const a = rec('a', { given: 'anna', family: 'khan', dob: '1980-03-04', ids: [['NHS', '9434765919']] });
    const b = rec('b', { given: 'annie', family: 'smith', dob: '1980-04-03', ids: [['NHS', '9434765919']] });
    const withoutTrust = { ...policy, trustedIdentifierSchemes: [] };
    const s = score(a, b, testModel({ comparisons: testModel().comparisons.map((c) => (c.name === 'identifier NHS' ? { ...c, levels: c.levels.map((l) => ({ ...l, m: 0.5, u: 0.5 })) } : c)) }));
    expect(decide(s, withoutTrust).outcome).not.toBe('link');
    expect(decide(s, policy)).toEqual({ outcome: 'link', reason: 'trusted-identifier' });
  });

  it('does not let one NHS number merge two clearly different people', () => {
    const a = rec('a', { given: 'anna', family: 'khan', sex: 'FEMALE', dob: '1980-03-04', ids: [['NHS', '9434765919']] });
    const b = rec('b', { given: 'walter', family: 'pemberton', sex: 'MALE', dob: '1932-11-20', ids: [['NHS', '9434765919']] });
    const s = score(a, b, model);
    expect(decide(s, policy)).toEqual({ outcome: 'review', reason: 'conflicting-identifier' });
  });

  describe('household guard', () => {
    const household = { family: 'skeffington', postcode: 'L3 2UA', line: '6 Hawthorn Grove', locality: 'liverpool' };
    const peter = rec('p', { ...household, given: 'peter' });
    const ann = rec('a', { ...household, given: 'ann' });
    // A model in which surname and address alone would be enough to link.
    const generous = testModel({ probabilityTwoRandomRecordsMatch: 0.2 });

    it('sends two people of one household with different given names to review, not to a link', () => {
      const s = score(peter, ann, generous);
      expect(s.probability).toBeGreaterThan(policy.linkProbability);
      expect(decide(s, policy)).toEqual({ outcome: 'review', reason: 'household-guard' });
      expect(decide(s, { ...policy, householdGuard: false })).toEqual({ outcome: 'link', reason: 'score' });
    });

    it('lets a personal agreement (date of birth, identifier, e-mail) through', () => {
      const withDob = score(rec('p', { ...household, given: 'peter', dob: '1970-01-02' }), rec('a', { ...household, given: 'ann', dob: '1970-01-02' }), generous);
      expect(decide(withDob, policy).outcome).toBe('link');
      const withEmail = score(rec('p', { ...household, given: 'peter', email: 'ps@x.com' }), rec('a', { ...household, given: 'ann', email: 'ps@x.com' }), generous);
      expect(decide(withEmail, policy).outcome).toBe('link');
    });
  });
});
