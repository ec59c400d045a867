// The hub's services as the stack runs them: where they listen and what each needs
// (services.json, which the test harness reads too, so that tests run each service as the
// stack does). nodeArgs go on node's command line before the script: V8 reads them before it
// makes the heap, and NODE_OPTIONS refuses some. mdm turns off V8's memory reducer, which
// started a full marking of its multi-gigabyte heap whenever its allocation slowed, as when a
// large backlog is drained and a steady stream follows (docs/benchmarks.md, "V8's memory
// reducer off"). The Kubernetes manifest and docker-compose.yml pass the same flags.
import { createRequire } from 'node:module';

/** @type {{ name: string; port: number; nodeArgs?: string[] }[]} */
export const services = createRequire(import.meta.url)('./services.json');
