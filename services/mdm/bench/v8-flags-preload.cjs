// Loaded with `node -r` (NODE_OPTIONS='--require .../v8-flags-preload.cjs') by
// `npm run bench:mdm -- --mdm-v8-flags "<flags>"`: most of V8's own flags (the collector's
// heap growing factor, say) are not allowed in NODE_OPTIONS, so they are set here, from
// MDM_V8_FLAGS, before the service's code runs.
require('node:v8').setFlagsFromString(process.env.MDM_V8_FLAGS || '');
