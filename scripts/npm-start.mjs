// `npm start`: installs what is missing, brings the whole stack up, runs the demo on a
// synthetic city, and says where to look next.
import { run, say } from './lib/setup.mjs';

try {
  run('node', ['scripts/stack.mjs', 'up']);
  say('running the demo…');
  run('node', ['scripts/run-ts.mjs', 'scripts/demo/demo.ts']);
  say('the stack keeps running: `npm run stack:status` shows it, `npm run stack:down` stops it');
} catch (error) {
  say(`npm start stopped: ${error.message}`);
  process.exit(1);
}
