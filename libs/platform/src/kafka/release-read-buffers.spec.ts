import { releaseReadBuffers } from './release-read-buffers';

// kafkajs' own connection code, wrapped: the fields processData reads, on a stand-in `this`
const Connection = require('kafkajs/src/network/connection') as { prototype: { processData(this: unknown, rawData: Buffer): void } };

function response(correlationId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeInt32BE(payload.length + 4, 0);
  header.writeInt32BE(correlationId, 4);
  return Buffer.concat([header, payload]);
}

function reader() {
  const fulfilled: Array<{ correlationId: number; payload: Buffer }> = [];
  const connection = { chunks: [] as Buffer[], bytesBuffered: 0, bytesNeeded: 4, authHandlers: undefined, requestQueue: { fulfillRequest: (r: { correlationId: number; payload: Buffer }) => fulfilled.push({ correlationId: r.correlationId, payload: Buffer.from(r.payload) }) } };
  return { connection, fulfilled, read: (data: Buffer) => Connection.prototype.processData.call(connection, data) };
}

describe(releaseReadBuffers.name, () => {
  beforeAll(() => expect(releaseReadBuffers()).toBe(true));

  it('keeps no slice of a large response once it is handled', () => {
    const { connection, fulfilled, read } = reader();
    const payload = Buffer.alloc(200 * 1024, 5);
    read(response(7, payload));
    expect(fulfilled).toEqual([{ correlationId: 7, payload }]);
    expect(connection.chunks).toHaveLength(1);
    expect(connection.chunks[0]!.length).toBe(0);
    expect(connection.chunks[0]!.buffer.byteLength).toBeLessThan(64 * 1024);
  });

  it('copies out the start of the next response and completes it from the next read', () => {
    const { connection, fulfilled, read } = reader();
    const first = Buffer.alloc(150 * 1024, 1);
    const second = Buffer.from('the second response');
    const both = Buffer.concat([response(1, first), response(2, second)]);
    const cut = response(1, first).length + 6;
    read(both.subarray(0, cut));
    expect(connection.chunks[0]!.length).toBe(6);
    expect(connection.chunks[0]!.buffer.byteLength).toBeLessThan(64 * 1024);
    read(both.subarray(cut));
    expect(fulfilled).toEqual([{ correlationId: 1, payload: first }, { correlationId: 2, payload: second }]);
  });

  it('leaves a partly read large response in its buffer, all of which is still needed', () => {
    const { connection, fulfilled, read } = reader();
    const whole = response(3, Buffer.alloc(300 * 1024, 9));
    const head = Buffer.from(whole.subarray(0, 200 * 1024));
    read(head);
    expect(fulfilled).toEqual([]);
    expect(connection.chunks[0]!.buffer).toBe(head.buffer);
    read(Buffer.from(whole.subarray(200 * 1024)));
    expect(fulfilled.map((r) => r.correlationId)).toEqual([3]);
  });
});
