import type { IHeaders } from 'kafkajs';

/** One message as a handler sees it: the original bytes and where they came from. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  timestamp: string;
}

/** Where a dead letter came from and why it could not be processed. */
export interface DeadLetterContext {
  message: ConsumedMessage;
  groupId: string;
  /** Stable code: the PermanentError's code, or HANDLER.FAILED when retries ran out. */
  errorCode: string;
  error: string;
  attempts: number;
  failedAt: Date;
}

type HeldHeaders = Record<string, string | string[]>;

const bytesOf = (held: string | null): Buffer | null => (held === null ? null : Buffer.from(held, 'latin1'));
const heldOf = (bytes: Buffer | string): string => (typeof bytes === 'string' ? Buffer.from(bytes).toString('latin1') : bytes.toString('latin1'));

/**
 * A consumed message that holds its bytes as Latin-1 strings (one character per byte, so they
 * come back exactly) and gives a fresh Buffer on each read of key, value or headers.
 *
 * Why: kafkajs slices every message's key, value and headers out of the one buffer a fetch
 * response arrived in, and a slice keeps the whole of it alive. A handler holds its batch for
 * as long as its transaction runs (seconds at mdm's scale), so that buffer outlived young
 * collections, and V8 starts a full marking of the heap for every 64 MiB of buffers kept past
 * them. Strings live in V8's heap, where they count only towards its ordinary growth.
 */
export class DetachedMessage implements ConsumedMessage {
  private readonly heldKey: string | null;
  private readonly heldValue: string | null;
  private readonly heldHeaders: HeldHeaders;

  constructor(readonly topic: string, readonly partition: number, readonly offset: string, key: Buffer | null, value: Buffer | null, headers: IHeaders | undefined, readonly timestamp: string) {
    this.heldKey = key === null ? null : heldOf(key);
    this.heldValue = value === null ? null : heldOf(value);
    const held: HeldHeaders = {};
    for (const [name, header] of Object.entries(headers ?? {})) {
      if (header === undefined) continue;
      held[name] = Array.isArray(header) ? header.map(heldOf) : heldOf(header);
    }
    this.heldHeaders = held;
  }

  get key(): Buffer | null {
    return bytesOf(this.heldKey);
  }

  get value(): Buffer | null {
    return bytesOf(this.heldValue);
  }

  get headers(): IHeaders {
    const headers: IHeaders = {};
    for (const [name, header] of Object.entries(this.heldHeaders)) {
      headers[name] = Array.isArray(header) ? header.map((h) => Buffer.from(h, 'latin1')) : Buffer.from(header, 'latin1');
    }
    return headers;
  }
}
