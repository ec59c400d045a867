// `npm run mdm -- <command>`: mdm's internal API from the command line, for data leads and
// reviewers on the machine that runs the stack. Talks to the running service at MDM_URL
// (default http://127.0.0.1:3002) with MDM_SERVICE_TOKEN (default: the token `npm run
// stack:up` generated in .run/secrets). Prints JSON; exits 1 with the service's error code.
//
//   models                          the stored models and the one in use
//   train [--max-random-pairs N]     train a candidate model on the held records (not promoted)
//   report <version>                what promoting it would change (changes nothing)
//   promote <version> --by <name>   promote it: the rescoring's merges and splits go out as events
//   review [--limit N] [--offset N] the clerical review queue, most likely pairs first
//   decide <record-a> <record-b> <must-link|cannot-link> --by <name> [--note text]
//   explain <master-id>             why each record belongs to the master
//   pair <record-a> <record-b>      the score of two records and its parts
//   suspects | match-rate | blocking   reports
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..', '..');
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const positional = args.filter((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));

function serviceToken(): string {
  if (process.env.MDM_SERVICE_TOKEN) return process.env.MDM_SERVICE_TOKEN;
  const file = join(repoRoot, '.run', 'secrets', 'mdm-service-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  fail('MDM_SERVICE_TOKEN is not set and .run/secrets/mdm-service-token does not exist (start the stack with npm run stack:up)');
}

function fail(message: string): never {
  process.stderr.write(`mdm: ${message}\n`);
  process.exit(1);
}

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const base = process.env.MDM_URL ?? 'http://127.0.0.1:3002';
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${serviceToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    fail(`mdm does not answer at ${base} (${(error as Error).message}); is the stack up?`);
  }
  const answer = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!response.ok) fail(`${response.status} ${answer.code ?? ''} ${answer.message ?? ''}`.trim());
  return answer;
}

const query = (values: Record<string, string | undefined>) => {
  const defined = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return defined.length ? `?${new URLSearchParams(defined).toString()}` : '';
};
const needed = (value: string | undefined, what: string) => value ?? fail(`${what} is required (npm run mdm -- help)`);

async function main(): Promise<unknown> {
  const [command, first, second, third] = positional;
  switch (command) {
    case 'models':
      return call('GET', '/internal/v1/models');
    case 'train': {
      const pairs = option('max-random-pairs');
      return call('POST', '/internal/v1/models', pairs ? { maxRandomPairs: Number(pairs) } : {});
    }
    case 'report':
      return call('GET', `/internal/v1/models/${encodeURIComponent(needed(first, 'a model version'))}/report`);
    case 'promote':
      return call('POST', `/internal/v1/models/${encodeURIComponent(needed(first, 'a model version'))}/promote`, { promotedBy: needed(option('by'), '--by <name>') });
    case 'review':
      return call('GET', `/internal/v1/review${query({ limit: option('limit'), offset: option('offset') })}`);
    case 'decide':
      return call('POST', '/internal/v1/review/decisions', {
        a: needed(first, 'record a'), b: needed(second, 'record b'), decision: needed(third, 'must-link or cannot-link'), decidedBy: needed(option('by'), '--by <name>'), note: option('note') ?? null,
      });
    case 'explain':
      return call('GET', `/internal/v1/masters/${encodeURIComponent(needed(first, 'a master id'))}/explanation`);
    case 'pair':
      return call('GET', `/internal/v1/pairs/explanation${query({ a: needed(first, 'record a'), b: needed(second, 'record b') })}`);
    case 'suspects':
    case 'match-rate':
    case 'blocking':
      return call('GET', `/internal/v1/reports/${command}`);
    default: {
      const usage = readFileSync(__filename, 'utf8').split('\n').filter((line) => line.startsWith('//')).map((line) => line.slice(3)).join('\n');
      process.stdout.write(`${usage}\n`);
      if (command && command !== 'help') fail(`unknown command ${command}`);
      return undefined;
    }
  }
}

void main().then((answer) => {
  if (answer !== undefined) process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
});
