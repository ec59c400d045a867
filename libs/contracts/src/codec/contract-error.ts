/** Stable codes for everything that can go wrong with a contract message. */
export type ContractErrorCode =
  | 'CONTRACTS.NOT_SINGLE_OBJECT'
  | 'CONTRACTS.UNKNOWN_FINGERPRINT'
  | 'CONTRACTS.CORRUPT_PAYLOAD'
  | 'CONTRACTS.UNEXPECTED_CONTRACT'
  | 'CONTRACTS.UNKNOWN_CONTRACT'
  | 'CONTRACTS.UNKNOWN_VERSION'
  | 'CONTRACTS.INCOMPATIBLE_READER'
  | 'CONTRACTS.INVALID_VALUE';

/**
 * A message that cannot be encoded or decoded. Messages never carry field values, only
 * names, versions and paths, so they are safe to log and to put in a dead letter.
 */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly code: ContractErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
