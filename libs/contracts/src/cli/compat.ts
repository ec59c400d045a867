// `npm run contracts:compat [-- --candidate <file.avsc>]`: checks that every version of every
// contract reads every other version's data (full transitive compatibility), or that a
// proposed schema would keep it so. Exits 1 naming the contract and versions at fault.
import { basename, dirname } from 'node:path';
import { ContractRegistry } from '../codec/contract-registry';
import { checkCandidate, checkContract, describeProblem, type CompatibilityProblem } from '../compat/compatibility';
import { SCHEMAS_DIR } from '../paths';
import { kebabCase, loadSchemaFile } from '../schema/schema-files';

function main(args: string[]): number {
  let registry: ContractRegistry;
  try {
    registry = ContractRegistry.fromFolder(SCHEMAS_DIR);
  } catch (error) {
    process.stderr.write(`contracts:compat: the schemas do not load: ${(error as Error).message}\n`);
    return 1;
  }
  const candidateAt = args.indexOf('--candidate');
  const problems: CompatibilityProblem[] = [];
  if (candidateAt >= 0) {
    const file = args[candidateAt + 1];
    if (!file) {
      process.stderr.write('contracts:compat: --candidate needs a schema file\n');
      return 1;
    }
    const candidate = loadSchemaFile(file, SCHEMAS_DIR);
    // A candidate kept in a contract's folder (fixtures/<contract>/...) is checked against that contract.
    const folder = basename(dirname(file));
    const contract = registry.names().find((name) => kebabCase(name) === folder) ?? candidate.name;
    problems.push(...checkCandidate(registry, candidate, file, contract));
    if (problems.length === 0) process.stdout.write(`ok  ${file} against ${contract} v${registry.versions(contract).join(', v')}\n`);
  } else {
    for (const name of registry.names()) {
      const found = checkContract(registry, name);
      problems.push(...found);
      const versions = registry.versions(name);
      if (found.length === 0) process.stdout.write(`ok  ${name} v${versions.join(', v')}\n`);
    }
  }
  for (const problem of problems) process.stderr.write(`INCOMPATIBLE  ${describeProblem(problem)}\n`);
  if (problems.length) process.stderr.write(`contracts:compat: ${problems.length} incompatible reader/writer pair(s)\n`);
  return problems.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
