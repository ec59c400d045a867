import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SURVIVORSHIP_POLICY } from '../golden-record/domain';
import { DEFAULT_DECISION_POLICY } from '../matching/domain';
import { loadMdmPolicy, PolicyFileError } from './mdm-policy';

const file = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'mdm-policy-')), 'policy.yaml');
  writeFileSync(path, content);
  return path;
};

describe(loadMdmPolicy.name, () => {
  it('gives the shipped defaults without a file', () => {
    expect(loadMdmPolicy()).toEqual({ decision: DEFAULT_DECISION_POLICY, survivorship: DEFAULT_SURVIVORSHIP_POLICY });
  });

  it('takes trusted identifier schemes and survivorship trust from the file', () => {
    const policy = loadMdmPolicy(file('matching:\n  trustedIdentifierSchemes: [NHS, UPN]\nsurvivorship:\n  trust: { school-census: 9 }\n  defaultTrust: 2\n  fieldTrust:\n    identifiers.UPN: { school-census: 10 }\n'));
    expect(policy.decision).toEqual({ ...DEFAULT_DECISION_POLICY, trustedIdentifierSchemes: ['NHS', 'UPN'] });
    expect(policy.survivorship).toEqual({ trust: { 'school-census': 9 }, defaultTrust: 2, fieldTrust: { 'identifiers.UPN': { 'school-census': 10 } } });
  });

  it('names the file and the field of a bad setting', () => {
    expect(() => loadMdmPolicy(file('matching:\n  trustedIdentifierSchemes: [PASSPORT]\n'))).toThrow(PolicyFileError);
    expect(() => loadMdmPolicy(file('matching:\n  trustedIdentifierSchemes: [PASSPORT]\n'))).toThrow(/policy\.yaml: matching\.trustedIdentifierSchemes\.0/);
    expect(() => loadMdmPolicy(file('survivorship:\n  trust: {}\n  defaultTrust: 1\n  fieldTrust: { shoeSize: { a: 1 } }\n'))).toThrow(/survivorship\.fieldTrust\.shoeSize/);
    expect(() => loadMdmPolicy(file('thresholds: { link: 0.5 }\n'))).toThrow(/thresholds|Unrecognized/);
    expect(() => loadMdmPolicy(file('matching: [unclosed\n'))).toThrow(/cannot be read/);
  });
});

describe('the example policy file', () => {
  it('is valid', () => {
    const policy = loadMdmPolicy(join(__dirname, '..', '..', 'config', 'policy.example.yaml'));
    expect(policy.decision.trustedIdentifierSchemes).toEqual(['NHS']);
    expect(policy.survivorship.fieldTrust?.['identifiers.UPN']).toEqual({ 'school-census': 10 });
  });
});
