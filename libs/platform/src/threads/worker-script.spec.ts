import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerScriptOptions } from './worker-script';

const root = join(__dirname, '..', '..', '..', '..');
// V8's flags, which a Worker refuses when they are handed to it in `execArgv`
const V8_FLAGS = ['--max-old-space-size=512', '--no-memory-reducer', '--max-semi-space-size=16'];

/**
 * Runs, in a node started with V8's flags (and the compiler hook, to load this module from
 * source), a parent that starts a thread on `threadFile` with `workerScriptOptions`; returns
 * what the parent printed: the thread's answer, or the error that stopped it.
 */
function startThreadUnder(flags: string[], threadFile: string): { out: string; err: string } {
  const parent = join(dir, 'parent.js');
  writeFileSync(
    parent,
    `const { Worker } = require('node:worker_threads');
     const { workerScriptOptions } = require(${JSON.stringify(join(__dirname, 'worker-script.ts'))});
     try {
       const worker = new Worker(${JSON.stringify(threadFile)}, workerScriptOptions(${JSON.stringify(threadFile)}));
       worker.on('message', (answer) => { console.log('answer:' + answer); worker.terminate(); });
       worker.on('error', (error) => console.log('error:' + (error.code || error.message)));
     } catch (error) { console.log('refused:' + (error.code || error.message)); }`,
  );
  const run = spawnSync(process.execPath, [...flags, '-r', '@swc-node/register', parent], {
    cwd: root,
    env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { out: run.stdout.trim(), err: run.stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'worker-script-'));
  writeFileSync(join(dir, 'thread.js'), `require('node:worker_threads').parentPort.postMessage('built ' + process.pid);`);
  writeFileSync(join(dir, 'thread.ts'), `import { parentPort } from 'node:worker_threads';\nconst said: string = 'from source';\nparentPort!.postMessage(said);\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workerScriptOptions', () => {
  it("starts a built script's thread in a process started with V8's flags on node's command line", () => {
    const { out, err } = startThreadUnder(V8_FLAGS, join(dir, 'thread.js'));
    expect({ out, err: out ? '' : err }).toEqual({ out: expect.stringMatching(/^answer:built \d+$/), err: '' });
  });

  it("starts a thread from TypeScript source in a process started with V8's flags and the compiler hook", () => {
    const { out, err } = startThreadUnder(V8_FLAGS, join(dir, 'thread.ts'));
    expect({ out, err: out ? '' : err }).toEqual({ out: 'answer:from source', err: '' });
  });

  it('hands the compiler hook, and nothing of V8, to a thread from source when the parent lacks the hook', () => {
    const options = workerScriptOptions(join(dir, 'thread.ts'));
    const hooked = process.execArgv.some((arg) => arg.includes('@swc-node/register'));
    if (hooked) expect(options.execArgv).toBeUndefined();
    else expect(options.execArgv?.slice(-2)).toEqual(['-r', '@swc-node/register']);
    expect(options.env).toMatchObject({ SWC_NODE_PROJECT: expect.any(String) });
    expect(workerScriptOptions(join(dir, 'thread.js'))).toEqual({});
  });
});
