// Loaded with `node -r` by `npm run bench:mdm -- --heap-sample <file>`: samples, with V8's
// sampling heap profiler, the allocations that outlive a young collection (promoted to the old
// generation), over HEAP_SAMPLE_FOR_S seconds starting HEAP_SAMPLE_AFTER_S seconds after the
// process starts, and writes the profile to HEAP_SAMPLE_FILE (a .heapprofile, readable by
// DevTools and by heap-profile-summary.ts).
//
// Why these options: a marking of a large heap is started by the old generation's growth, and
// the old generation grows by what survives young collections, including what dies soon after
// (held across an await, say). `includeObjectsCollectedByMinorGC: false` drops exactly what
// died young; `includeObjectsCollectedByMajorGC: true` keeps what was promoted and died later,
// which is the garbage that makes markings frequent.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const file = process.env.HEAP_SAMPLE_FILE;
const after = Number(process.env.HEAP_SAMPLE_AFTER_S || 60) * 1000;
const span = Number(process.env.HEAP_SAMPLE_FOR_S || 40) * 1000;
const interval = Number(process.env.HEAP_SAMPLE_INTERVAL_BYTES || 16384);
// HEAP_SAMPLE_LIVE_ONLY=1: only what is still alive when sampling stops (what the heap keeps),
// so that the default profile less this one is the promoted garbage
const liveOnly = process.env.HEAP_SAMPLE_LIVE_ONLY === '1';

// NODE_OPTIONS' --require also runs in worker threads (the outbox relay's): sample the main thread only
if (file && isMainThread) {
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  setTimeout(async () => {
    try {
      await post('HeapProfiler.enable');
      await post('HeapProfiler.startSampling', { samplingInterval: interval, includeObjectsCollectedByMajorGC: !liveOnly, includeObjectsCollectedByMinorGC: false });
      process.stderr.write(`heap-sample: sampling promoted allocations for ${span / 1000} s\n`);
      setTimeout(async () => {
        try {
          const { profile } = await post('HeapProfiler.stopSampling');
          writeFileSync(file, JSON.stringify(profile));
          process.stderr.write(`heap-sample: wrote ${file}\n`);
        } catch (error) {
          process.stderr.write(`heap-sample: ${error}\n`);
        }
      }, span).unref();
    } catch (error) {
      process.stderr.write(`heap-sample: ${error}\n`);
    }
  }, after).unref();
}
