// Loaded with `node -r` (NODE_OPTIONS='--require .../gc-trace-preload.cjs') by
// `npm run bench:mdm -- --gc-trace <file>`: V8's tracing flags are not allowed in NODE_OPTIONS,
// so they are set here, before the service's code runs (V8's trace lines go to the process's
// stdout, which the bench copies into <file>). Every GC_SAMPLE_MS it also prints one line
// `gc-sample {...}` with the heap's spaces and external memory, so that each major collection
// can be read against what the old generation held and how fast it grew.
const v8 = require('node:v8');

v8.setFlagsFromString(process.env.GC_TRACE_FLAGS || '--trace-gc --trace-gc-ignore-scavenger --trace-incremental-marking');
const started = Date.now();
const mib = (bytes) => Math.round(bytes / 1048576);
setInterval(() => {
  const heap = v8.getHeapStatistics();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((space) => [space.space_name, mib(space.space_used_size)]));
  const line = { s: Math.round((Date.now() - started) / 1000), usedMiB: mib(heap.used_heap_size), totalMiB: mib(heap.total_heap_size), externalMiB: mib(heap.external_memory), mallocedMiB: mib(heap.malloced_memory), spaces };
  process.stdout.write(`gc-sample ${JSON.stringify(line)}\n`);
}, Number(process.env.GC_SAMPLE_MS || 10000)).unref();
