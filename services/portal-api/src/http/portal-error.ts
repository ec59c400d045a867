/** An expected failure with a stable code, answered as `{code, message}` with its status. */
export class PortalError extends Error {
  constructor(readonly code: string, message: string, readonly status: number, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'PortalError';
  }
}
