/**
 * kafkajs' connection keeps what it has read but not yet used in `chunks`. After a whole
 * response it keeps the rest as a slice of the response's buffer, most often an empty one, and
 * a slice holds all of its buffer: a fetch response (megabytes) stays alive until the next
 * response arrives on that connection, a second or more later for a busy consumer. Kept that
 * long it outlives young collections, and V8 starts a full marking of the heap for every
 * 64 MiB of buffers kept past them (docs/benchmarks.md, mdm's major collections).
 *
 * This wraps the connection's processData (kafkajs 2.x, which is in maintenance) to copy such a
 * small rest out of its large buffer. It changes nothing kafkajs reads: the same bytes, in a
 * buffer of their own. If a later kafkajs no longer has this shape, nothing is wrapped.
 */
interface ReadingConnection {
  chunks?: Buffer[];
  processData(rawData: Buffer): unknown;
}

/** A rest smaller than this share of the buffer it points into is copied out. */
const COPY_BELOW_SHARE = 0.5;
/** Buffers this small come from Node's shared pool and are not worth a copy. */
const LARGE_BUFFER_BYTES = 64 * 1024;

let wrapped: boolean | undefined;

export function releaseReadBuffers(): boolean {
  if (wrapped !== undefined) return wrapped;
  wrapped = false;
  let Connection: { prototype: ReadingConnection } | undefined;
  try {
    // a module of kafkajs' own, not one it exports
    Connection = require('kafkajs/src/network/connection') as { prototype: ReadingConnection };
  } catch {
    return wrapped;
  }
  const processData = Connection?.prototype?.processData;
  if (typeof processData !== 'function') return wrapped;
  Connection.prototype.processData = function (this: ReadingConnection, rawData: Buffer) {
    const result = processData.call(this, rawData);
    const chunks = this.chunks;
    if (Array.isArray(chunks) && chunks.length === 1) {
      const rest = chunks[0]!;
      if (rest.buffer.byteLength >= LARGE_BUFFER_BYTES && rest.length < rest.buffer.byteLength * COPY_BELOW_SHARE) this.chunks = [Buffer.from(rest)];
    }
    return result;
  };
  wrapped = true;
  return wrapped;
}
