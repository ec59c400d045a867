// The hub's services as the stack runs them: where they listen and what each needs
// (services.json, which the test harness reads too, so that tests run each service as the
// stack does). nodeArgs go on node's command line before the script: V8 reads them before it
// makes the heap, and NODE_OPTIONS refuses some. mdm turns off V8's memory reducer, which
// started a full marking of its multi-gigabyte heap whenever its allocation slowed, as when a
// large backlog is drained and a steady stream follows (docs/benchmarks.md, "V8's memory
// reducer off"), and gives its young generation 64 MiB semi-spaces instead of V8's 16: each
// young collection has a fixed cost that grows with the old generation, so at a city's scale
// fewer of them is faster (docs/benchmarks.md, "Why mdm's young collections take longer");
// and turns off V8's allocation-site pretenuring, which put short-lived objects straight into
// the old generation: on a steady stream it grew twice as fast, and that growth is what brings
// full markings of the large heap (docs/benchmarks.md, "No pretenuring in mdm").
// The Kubernetes manifest and docker-compose.yml pass the same flags.
import { createRequire } from 'node:module';

/** @type {{ name: string; port: number; nodeArgs?: string[] }[]} */
export const services = createRequire(import.meta.url)('./services.json');
