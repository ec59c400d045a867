import { decide, DEFAULT_DECISION_POLICY } from './decision';
import { score } from './model';
import { rec, testModel, withDisagreement } from './test-fixtures';

describe('decide', () => {
  const model = testModel();
  const policy = DEFAULT_DECISION_POLICY;

  it('links above the upper threshold, reviews between, and makes new below', () => {
    const a = rec('a', { given: 'anna', family: 'khan', dob: '1980-03-04', postcode: 'L1 1AA' });
    expect(decide(score(a, rec('b', { given: 'anna', family: 'khan', dob: '1980-03-04', postcode: 'L1 1AA' }), model), model, policy)).toEqual({ outcome: 'link', reason: 'score' });
    expect(decide(score(a, rec('c', { given: 'zed', family: 'young', dob: '1990-01-01' }), model), model, policy)).toEqual({ outcome: 'new' });
    const between = score(a, rec('d', { given: 'anna', family: 'khan' }), model);
    const bandPolicy = { ...policy, linkProbability: between.probability + 0.01, reviewProbability: between.probability - 0.01 };
    expect(decide(between, model, bandPolicy)).toEqual({ outcome: 'review', reason: 'score' });
  });

  it('lets a trusted identifier with a compatible date of birth decide alone', () => {
    const a = rec('a', { given: 'anna', family: 'khan', dob: '1980-03-04', ids: [['NHS', '9434765919']] });
    const b = rec('b', { given: 'annie', family: 'smith', dob: '1980-04-03', ids: [['NHS', '9434765919']] });
    const withoutTrust = { ...policy, trustedIdentifierSchemes: [] };
    const neutralNhs = testModel({ comparisons: testModel().comparisons.map((c) => (c.name === 'identifier NHS' ? { ...c, levels: c.levels.map((l) => ({ ...l, m: 0.5, u: 0.5 })) } : c)) });
    const s = score(a, b, neutralNhs);
    expect(decide(s, neutralNhs, withoutTrust).outcome).not.toBe('link');
    expect(decide(s, neutralNhs, policy)).toEqual({ outcome: 'link', reason: 'trusted-identifier' });
  });

  it('does not let one NHS number merge two clearly different people', () => {
    const a = rec('a', { given: 'anna', family: 'khan', sex: 'FEMALE', dob: '1980-03-04', ids: [['NHS', '9434765919']] });
    const b = rec('b', { given: 'walter', family: 'pemberton', sex: 'MALE', dob: '1932-11-20', ids: [['NHS', '9434765919']] });
    const s = score(a, b, model);
    expect(decide(s, model, policy)).toEqual({ outcome: 'review', reason: 'conflicting-identifier' });
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
      expect(decide(s, generous, policy)).toEqual({ outcome: 'review', reason: 'household-guard' });
      expect(decide(s, generous, { ...policy, householdGuard: false })).toEqual({ outcome: 'link', reason: 'score' });
    });

    it('lets a personal agreement (date of birth, identifier, e-mail) through', () => {
      const withDob = score(rec('p', { ...household, given: 'peter', dob: '1970-01-02' }), rec('a', { ...household, given: 'ann', dob: '1970-01-02' }), generous);
      expect(decide(withDob, generous, policy).outcome).toBe('link');
      const withEmail = score(rec('p', { ...household, given: 'peter', email: 'ps@x.com' }), rec('a', { ...household, given: 'ann', email: 'ps@x.com' }), generous);
      expect(decide(withEmail, generous, policy).outcome).toBe('link');
    });
  });

  describe('conflict guard', () => {
    const home = { family: 'skeffington', postcode: 'L3 2UA', line: '6 Hawthorn Grove', locality: 'liverpool' };
    const generous = testModel({ probabilityTwoRandomRecordsMatch: 0.2 });

    it('does not link a parent and a child of one name at one address where birth dates are reliable', () => {
      const father = rec('f', { ...home, given: 'peter', dob: '1961-05-02' });
      const son = rec('s', { ...home, given: 'peter', dob: '1990-11-23' });
      const s = score(father, son, generous);
      expect(s.probability).toBeGreaterThan(policy.linkProbability);
      expect(decide(s, generous, policy)).toEqual({ outcome: 'review', reason: 'conflict-guard' });
      expect(decide(s, generous, { ...policy, conflictGuard: false })).toEqual({ outcome: 'link', reason: 'score' });
      // Where a fifth of true pairs disagree on the birth date (typos), the model's weights judge alone.
      const typoProne = withDisagreement(generous, 'date of birth', 0.2);
      expect(decide(score(father, son, typoProne), typoProne, policy)).toEqual({ outcome: 'link', reason: 'score' });
    });

    it('lets a shared identifier through, but not a shared phone', () => {
      const withId = score(rec('f', { ...home, given: 'peter', dob: '1961-05-02', ids: [['NI', 'AB123456C']] }), rec('s', { ...home, given: 'peter', dob: '1990-11-23', ids: [['NI', 'AB123456C']] }), generous);
      expect(decide(withId, generous, policy)).toEqual({ outcome: 'link', reason: 'score' });
      const withPhone = score(rec('f', { ...home, given: 'peter', dob: '1961-05-02', phone: '+441510000000' }), rec('s', { ...home, given: 'peter', dob: '1990-11-23', phone: '+441510000000' }), generous);
      expect(decide(withPhone, generous, policy)).toEqual({ outcome: 'review', reason: 'conflict-guard' });
    });

    it('does not take an identifier shared by a mother and her baby as evidence', () => {
      const s = score(rec('m', { ...home, given: 'natasha', dob: '1986-02-20', ids: [['NHS', '9434765919']] }), rec('b', { ...home, given: 'hana', dob: '2018-09-27', ids: [['NHS', '9434765919']] }), generous);
      expect(s.probability).toBeGreaterThan(policy.linkProbability);
      expect(decide(s, generous, policy)).toEqual({ outcome: 'review', reason: 'conflicting-identifier' });
    });

    it('does not link twins (one birth date, surname and address, different given names) where given names are reliable', () => {
      const reliableNames = withDisagreement(generous, 'given name', 0.0005);
      const s = score(rec('a', { ...home, given: 'oliver', dob: '2012-03-09' }), rec('b', { ...home, given: 'harriet', dob: '2012-03-09' }), reliableNames);
      expect(s.probability).toBeGreaterThan(policy.linkProbability);
      expect(decide(s, reliableNames, policy)).toEqual({ outcome: 'review', reason: 'conflict-guard' });
      // The shipped default model treats given names as typo-prone: the same pair links there.
      const t = score(rec('a', { ...home, given: 'oliver', dob: '2012-03-09' }), rec('b', { ...home, given: 'harriet', dob: '2012-03-09' }), generous);
      expect(decide(t, generous, policy)).toEqual({ outcome: 'link', reason: 'score' });
    });

    it('where given names are reliable, treats a sound-alike or missing given name at one address as the household', () => {
      const reliableNames = withDisagreement(generous, 'given name', 0.0005);
      const missing = score(rec('a', { ...home }), rec('b', { ...home, given: 'harriet' }), reliableNames);
      expect(missing.probability).toBeGreaterThan(policy.linkProbability);
      expect(decide(missing, reliableNames, policy)).toEqual({ outcome: 'review', reason: 'household-guard' });
      expect(decide(score(rec('a', { ...home }), rec('b', { ...home, given: 'harriet' }), generous), generous, policy)).toEqual({ outcome: 'link', reason: 'score' });
    });
  });
});
