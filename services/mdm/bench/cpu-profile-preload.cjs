// Loaded with `node -r` (NODE_OPTIONS='--require .../cpu-profile-preload.cjs'), because
// --cpu-prof is not allowed in NODE_OPTIONS: profiles the whole process with the inspector
// and writes a .cpuprofile into CPU_PROFILE_DIR when the process exits.
const { Session } = require('node:inspector');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.CPU_PROFILE_DIR || '.';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: Number(process.env.CPU_PROFILE_INTERVAL_US || 5000) });
session.post('Profiler.start');
process.on('exit', () => {
  // the inspector answers a session in its own thread synchronously
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${process.env.SERVICE_NAME || 'process'}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
