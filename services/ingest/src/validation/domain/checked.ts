import type { ReasonCode } from './reason-codes';

/**
 * The outcome of checking one value: the normalised value, or why it failed. Expected
 * failures are values, not exceptions. The message never contains the value itself, because
 * the value may be personal data and messages end up in logs and reject stores.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; code: ReasonCode; message: string };

export function valid<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function invalid<T = never>(code: ReasonCode, message: string): Checked<T> {
  return { ok: false, code, message };
}
