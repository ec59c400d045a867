// `npm run contracts:generate` writes src/generated/ from the schemas;
// `npm run contracts:check` (`--check`) writes nothing and exits 1 naming the files that
// differ from what is committed.
import { ContractRegistry } from '../codec/contract-registry';
import { differingFiles, generateTypes, writeGenerated } from '../codegen/typescript-generator';
import { GENERATED_DIR, SCHEMAS_DIR } from '../paths';

function main(args: string[]): number {
  const files = generateTypes(ContractRegistry.fromFolder(SCHEMAS_DIR));
  if (args.includes('--check')) {
    const differing = differingFiles(GENERATED_DIR, files);
    if (differing.length) {
      process.stderr.write(
        `contracts:check: generated contract types are out of date: ${differing.map((file) => `libs/contracts/src/generated/${file}`).join(', ')}\n` +
          'run `npm run contracts:generate` and commit the result\n',
      );
      return 1;
    }
    process.stdout.write('contracts:check: generated contract types are current\n');
    return 0;
  }
  writeGenerated(GENERATED_DIR, files);
  process.stdout.write(`contracts:generate: wrote ${[...files.keys()].map((file) => `libs/contracts/src/generated/${file}`).join(', ')}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
