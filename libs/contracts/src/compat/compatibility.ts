// Full transitive compatibility: every version of a contract reads data written by every
// other version, in both directions. avsc's resolver applies the Avro specification's
// schema-resolution rules (names and aliases, field defaults, promotions, enum defaults,
// union branches), so "a resolver can be built" is the check.
import type { Type } from 'avsc';
import type { ContractRegistry } from '../codec/contract-registry';
import type { SchemaVersion } from '../schema/schema-files';

export interface CompatibilityProblem {
  readonly contract: string;
  readonly reader: string;
  readonly writer: string;
  readonly detail: string;
}

/** Why reader cannot read what writer wrote, or null when it can. */
export function whyUnreadable(reader: Type, writer: Type): string | null {
  try {
    reader.createResolver(writer);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Every ordered pair of the contract's versions that fails to resolve. */
export function checkContract(registry: ContractRegistry, name: string): CompatibilityProblem[] {
  const versions = registry.versions(name).map((version) => registry.schema(name, version));
  return checkAllPairs(name, versions.map((schema) => ({ label: `v${schema.version}`, type: schema.type })));
}

/**
 * A proposed schema checked against every published version of a contract, both ways. The
 * contract defaults to the candidate's own record name; give it when the candidate renames
 * the record, so that the rename itself is what fails.
 */
export function checkCandidate(
  registry: ContractRegistry,
  candidate: SchemaVersion,
  label = candidate.file,
  contract = candidate.name,
): CompatibilityProblem[] {
  if (!registry.names().includes(contract)) {
    return [{ contract, reader: label, writer: label, detail: `no published contract is named ${contract}` }];
  }
  const published = registry.versions(contract).map((version) => ({ label: `v${version}`, type: registry.schema(contract, version).type }));
  const problems: CompatibilityProblem[] = [];
  for (const other of published) {
    for (const [reader, writer] of [
      [other, { label, type: candidate.type }],
      [{ label, type: candidate.type }, other],
    ]) {
      const detail = whyUnreadable(reader.type, writer.type);
      if (detail !== null) problems.push({ contract, reader: reader.label, writer: writer.label, detail });
    }
  }
  return problems;
}

export function describeProblem(problem: CompatibilityProblem): string {
  return `${problem.contract}: ${problem.reader} cannot read data written by ${problem.writer} (${problem.detail})`;
}

function checkAllPairs(contract: string, versions: { label: string; type: Type }[]): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  for (const reader of versions) {
    for (const writer of versions) {
      if (reader === writer) continue;
      const detail = whyUnreadable(reader.type, writer.type);
      if (detail !== null) problems.push({ contract, reader: reader.label, writer: writer.label, detail });
    }
  }
  return problems;
}
