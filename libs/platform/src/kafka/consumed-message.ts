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
