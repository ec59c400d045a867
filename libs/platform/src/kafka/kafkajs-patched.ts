/**
 * Whether npm's install applied patches/kafkajs+2.2.4.patch (the root package's postinstall
 * runs patch-package). Without it the hub still works, with the same bytes on the wire, but
 * kafkajs encodes about twice as slowly; an install with --ignore-scripts skips it silently,
 * so a service says so once when it first connects.
 */
let answer: boolean | undefined;

export function kafkajsPatched(): boolean {
  if (answer !== undefined) return answer;
  try {
    // a module of kafkajs' own; the patched method carries its mark in its body
    const encoder = require('kafkajs/src/protocol/encoder') as { prototype?: { writeUVarInt?: unknown } };
    answer = String(encoder.prototype?.writeUVarInt).includes('Patched by the data hub');
  } catch {
    answer = false;
  }
  return answer;
}

let warned = false;

/** Logs, once per process, that kafkajs is not patched. */
export function warnIfKafkajsUnpatched(log: ((level: 'warn', message: string, extra: Record<string, unknown>) => void) | undefined): void {
  if (warned || kafkajsPatched()) return;
  warned = true;
  log?.('warn', 'kafkajs is not patched (was npm install run with --ignore-scripts?): Kafka encoding will be slower; run `npx patch-package` (patches/README.md)', {});
}
