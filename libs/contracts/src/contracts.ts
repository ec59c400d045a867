// The typed face of the default registry, loaded once from the schemas folder when this
// module is first imported. Producers get compile-time checked payloads; consumers get a
// union discriminated by contract name.
import { ContractRegistry, type DecodedMessage, type DecodeResult } from './codec/contract-registry';
import { ContractError } from './codec/contract-error';
import type { ContractInputs, ContractName, ContractTypes } from './generated/contracts';
import { SCHEMAS_DIR } from './paths';

/** The registry of every contract version under libs/contracts/schemas. */
export const contractRegistry: ContractRegistry = ContractRegistry.fromFolder(SCHEMAS_DIR);

/** A decoded message read with the latest version of its contract. */
export type DecodedContract = { [N in ContractName]: DecodedMessage<ContractTypes[N], N> }[ContractName];

/** Single-object encodes a value of a contract with its latest version (or the version given). */
export function encode<N extends ContractName>(name: N, value: ContractInputs[N], version?: number): Buffer {
  return contractRegistry.encode(name, value, version);
}

/** `encode`'s bytes as a Latin-1 string, one character per byte (see ContractRegistry.encodeLatin1). */
export function encodeLatin1<N extends ContractName>(name: N, value: ContractInputs[N], version?: number): string {
  return contractRegistry.encodeLatin1(name, value, version);
}

/**
 * Decodes a message written with any version of any contract. Without a reader version the
 * value is resolved into the latest version and typed; with one, into that version.
 * Throws ContractError (with a stable code) when the message cannot be decoded.
 */
export function decode(buffer: Buffer): DecodedContract;
export function decode(buffer: Buffer, readerVersion: number): DecodedMessage;
export function decode(buffer: Buffer, readerVersion?: number): DecodedMessage {
  return contractRegistry.decode(buffer, readerVersion);
}

/** Decodes a message that must be of the given contract (CONTRACTS.UNEXPECTED_CONTRACT otherwise). */
export function decodeAs<N extends ContractName>(name: N, buffer: Buffer): DecodedMessage<ContractTypes[N], N> {
  const message = contractRegistry.decode(buffer);
  if (message.name !== name) {
    throw new ContractError('CONTRACTS.UNEXPECTED_CONTRACT', `expected ${name}, the message is ${message.name} v${message.version}`);
  }
  return message as DecodedMessage<ContractTypes[N], N>;
}

/** As decode, with expected failures returned as values. */
export function tryDecode(buffer: Buffer): DecodeResult<DecodedContract> {
  return contractRegistry.tryDecode(buffer) as DecodeResult<DecodedContract>;
}
