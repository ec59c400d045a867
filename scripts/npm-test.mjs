// `npm test`: installs what is missing, brings up the servers the tests need, checks that
// generated contract types are current, type-checks, lints, and runs unit, integration and
// end-to-end tests. `.ci/run` calls exactly this.
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkDatabaseAndCache, ensureDependencies, ensureKafka, repoRoot, run, say, stopKafka } from './lib/setup.mjs';

process.env.NX_DAEMON = 'false';
process.env.NX_NO_CLOUD = 'true';
const started = Date.now();
let startedKafka = false;
let exitCode = 0;
try {
  ensureDependencies();
  await checkDatabaseAndCache();
  startedKafka = await ensureKafka();
  const steps = [
    ['contracts: generated types are current', 'npm', ['run', '--silent', 'contracts:check']],
    ['type-check (sources and tests)', 'npm', ['run', '--silent', 'typecheck']],
    ['build', 'npm', ['run', '--silent', 'build']],
    ['lint (module boundaries)', 'npm', ['run', '--silent', 'lint']],
  ];
  for (const [label, command, args] of steps) {
    if (label.startsWith('contracts') && !JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts['contracts:check']) continue;
    say(label);
    run(command, args);
  }
  mkdirSync(join(repoRoot, '.run'), { recursive: true });
  const results = join(repoRoot, '.run', 'jest-results.json');
  say('tests: unit, integration, end-to-end');
  try {
    run('npx', ['jest', '--runInBand', '--json', `--outputFile=${results}`, ...process.argv.slice(2)]);
  } catch {
    exitCode = 1;
  }
  if (existsSync(results)) {
    const summary = JSON.parse(readFileSync(results, 'utf8'));
    process.stdout.write(
      `tests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests} skipped\n`,
    );
    if (summary.numTotalTests === 0) exitCode = 1;
  }
} catch (error) {
  say(`npm test stopped: ${error.message}`);
  exitCode = 1;
} finally {
  if (startedKafka && process.env.HUB_KEEP_KAFKA !== '1') stopKafka();
  say(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}
process.exit(exitCode);
