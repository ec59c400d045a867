import type { OutgoingMessage } from '../publishing/row-events';
import type { BuiltRow } from './row-builder';

/**
 * Built rows as they cross from the build worker to the main thread: every byte (event
 * values, rejected rows' raw bytes) packed into one buffer that is transferred, not copied,
 * and the rest as plain data. Cloning thousands of small Buffers one by one would copy the
 * pooled memory behind each of them.
 */
export interface WireBatch {
  rows: WireRow[];
  bytes: ArrayBuffer;
}

type WireMessage = Omit<OutgoingMessage, 'value'> & { at: number; length: number };
type WireRow =
  | (Omit<Extract<BuiltRow, { outcome: 'accepted' }>, 'messages'> & { messages: WireMessage[] })
  | Extract<BuiltRow, { outcome: 'withdrawn' }>
  | (Omit<Extract<BuiltRow, { outcome: 'rejected' }>, 'raw' | 'rejection'> & { raw: [number, number]; rejection: WireMessage });

export function packBatch(rows: readonly BuiltRow[]): WireBatch {
  let size = 0;
  for (const row of rows) {
    if (row.outcome === 'accepted') for (const message of row.messages) size += message.value.length;
    else if (row.outcome === 'rejected') size += row.raw.length + row.rejection.value.length;
  }
  const bytes = Buffer.allocUnsafeSlow(size);
  let at = 0;
  const put = (value: Buffer): [number, number] => {
    value.copy(bytes, at);
    at += value.length;
    return [at - value.length, value.length];
  };
  const wire = (message: OutgoingMessage): WireMessage => {
    const [start, length] = put(message.value);
    return { topic: message.topic, key: message.key, eventId: message.eventId, eventType: message.eventType, at: start, length };
  };
  const packed = rows.map((row): WireRow => {
    switch (row.outcome) {
      case 'accepted':
        return { ...row, messages: row.messages.map(wire) };
      case 'rejected':
        return { ...row, raw: put(row.raw), rejection: wire(row.rejection) };
      default:
        return row;
    }
  });
  return { rows: packed, bytes: bytes.buffer as ArrayBuffer };
}

export function unpackBatch(batch: WireBatch): BuiltRow[] {
  const bytes = Buffer.from(batch.bytes);
  const message = ({ at, length, ...rest }: WireMessage): OutgoingMessage => ({ ...rest, value: bytes.subarray(at, at + length) });
  return batch.rows.map((row): BuiltRow => {
    switch (row.outcome) {
      case 'accepted':
        return { ...row, messages: row.messages.map(message) };
      case 'rejected':
        return { ...row, raw: bytes.subarray(row.raw[0], row.raw[0] + row.raw[1]), rejection: message(row.rejection) };
      default:
        return row;
    }
  });
}
