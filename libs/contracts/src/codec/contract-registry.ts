// Maps writer fingerprints to writer types and encodes/decodes single-object messages.
// Hot path: one fingerprint lookup, one cached resolver, no JSON and no per-message schema
// work; encoding goes through one reusable scratch buffer and allocates only the result.
import type { Type } from 'avsc';
import { loadSchemaFolder, type SchemaVersion } from '../schema/schema-files';
import { ContractError } from './contract-error';
import { HEADER_LENGTH, isSingleObjectEncoded, readFingerprint, singleObjectHeader } from './single-object';

/** A decoded message; version and fingerprint are the writer's, value has the reader's shape. */
export interface DecodedMessage<V = unknown, N extends string = string> {
  readonly name: N;
  readonly version: number;
  readonly readerVersion: number;
  readonly fingerprint: string;
  readonly value: V;
}

/** Expected failures as values, for consumers that dead-letter rather than throw. */
export type DecodeResult<M = DecodedMessage> = { readonly ok: true; readonly message: M } | { readonly ok: false; readonly error: ContractError };

type Resolver = ReturnType<Type['createResolver']>;

interface Entry {
  readonly schema: SchemaVersion;
  readonly header: Buffer;
  /** Resolvers into this (reader) version, by writer fingerprint; null when writer and reader are the same. */
  readonly resolvers: Map<bigint, Resolver | null | ContractError>;
}

export class ContractRegistry {
  private readonly byName = new Map<string, Map<number, Entry>>();
  private readonly latest = new Map<string, Entry>();
  private readonly byFingerprint = new Map<bigint, Entry>();
  private scratch = Buffer.allocUnsafe(64 * 1024);

  static fromFolder(schemasDir: string): ContractRegistry {
    return new ContractRegistry(loadSchemaFolder(schemasDir));
  }

  constructor(schemas: readonly SchemaVersion[]) {
    for (const schema of schemas) {
      const clash = this.byFingerprint.get(schema.fingerprint);
      if (clash) {
        throw new Error(
          `${schema.name} v${schema.version} has the same canonical form as ${clash.schema.name} v${clash.schema.version}: a new version must change the schema`,
        );
      }
      const entry: Entry = { schema, header: singleObjectHeader(schema.fingerprint), resolvers: new Map() };
      this.byFingerprint.set(schema.fingerprint, entry);
      const versions = this.byName.get(schema.name) ?? new Map<number, Entry>();
      if (versions.has(schema.version)) throw new Error(`${schema.name} v${schema.version} is defined twice`);
      versions.set(schema.version, entry);
      this.byName.set(schema.name, versions);
      const latest = this.latest.get(schema.name);
      if (!latest || latest.schema.version < schema.version) this.latest.set(schema.name, entry);
    }
  }

  /** Contract names, sorted. */
  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Versions of a contract, ascending. */
  versions(name: string): number[] {
    return [...this.versionsOf(name).keys()].sort((a, b) => a - b);
  }

  latestVersion(name: string): number {
    return this.entry(name).schema.version;
  }

  /** The schema of a contract version (the latest by default). */
  schema(name: string, version?: number): SchemaVersion {
    return this.entry(name, version).schema;
  }

  /** The writer schema a fingerprint stands for, if this registry knows it. */
  schemaByFingerprint(fingerprint: bigint): SchemaVersion | undefined {
    return this.byFingerprint.get(fingerprint)?.schema;
  }

  /** Single-object encodes a value with a contract version (the latest by default). */
  encode(name: string, value: unknown, version?: number): Buffer {
    const end = this.encodeInScratch(name, value, version);
    const message = Buffer.allocUnsafe(end);
    this.scratch.copy(message, 0, 0, end);
    return message;
  }

  /**
   * The same bytes as `encode`, as a Latin-1 string (one character per byte), with no buffer
   * allocated: for a caller that holds many encoded messages for a while. Buffers live outside
   * V8's heap, and V8 starts a full marking of the heap for every 64 MiB of them that outlive
   * young collections; a string counts only towards the heap's ordinary growth.
   */
  encodeLatin1(name: string, value: unknown, version?: number): string {
    const end = this.encodeInScratch(name, value, version);
    return this.scratch.toString('latin1', 0, end);
  }

  /** Writes the single-object encoding into the scratch buffer; returns where it ends. */
  private encodeInScratch(name: string, value: unknown, version?: number): number {
    const entry = this.entry(name, version);
    let end: number;
    try {
      end = entry.schema.type.encode(value, this.scratch, HEADER_LENGTH);
      while (end < 0) {
        this.scratch = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.scratch.length - end + HEADER_LENGTH));
        end = entry.schema.type.encode(value, this.scratch, HEADER_LENGTH);
      }
    } catch {
      throw invalidValue(entry.schema, value);
    }
    entry.header.copy(this.scratch, 0);
    return end;
  }

  /**
   * Decodes a single-object message written with any known version, resolved into the
   * reader version given (by default the latest version of the writer's contract).
   * Throws ContractError; see tryDecode for failures as values.
   */
  decode(buffer: Buffer, readerVersion?: number): DecodedMessage {
    if (!isSingleObjectEncoded(buffer)) {
      throw new ContractError('CONTRACTS.NOT_SINGLE_OBJECT', 'the message does not start with the Avro single-object marker C3 01');
    }
    const fingerprint = readFingerprint(buffer);
    const writer = this.byFingerprint.get(fingerprint);
    if (!writer) {
      throw new ContractError(
        'CONTRACTS.UNKNOWN_FINGERPRINT',
        `no known schema has fingerprint ${fingerprint.toString(16).padStart(16, '0')}: the writer may be newer than this reader's contracts`,
      );
    }
    const reader = this.entry(writer.schema.name, readerVersion);
    const resolver = this.resolver(reader, writer);
    let decoded: { value: unknown; offset: number };
    try {
      decoded = reader.schema.type.decode(buffer, HEADER_LENGTH, resolver ?? undefined);
    } catch (error) {
      throw corrupt(writer.schema, (error as Error).message);
    }
    if (decoded.offset === -1) throw corrupt(writer.schema, 'the body ends early');
    if (decoded.offset !== buffer.length) throw corrupt(writer.schema, `${buffer.length - decoded.offset} bytes after the body`);
    return {
      name: writer.schema.name,
      version: writer.schema.version,
      readerVersion: reader.schema.version,
      fingerprint: writer.schema.fingerprintHex,
      value: decoded.value,
    };
  }

  tryDecode(buffer: Buffer, readerVersion?: number): DecodeResult {
    try {
      return { ok: true, message: this.decode(buffer, readerVersion) };
    } catch (error) {
      if (error instanceof ContractError) return { ok: false, error };
      throw error;
    }
  }

  private resolver(reader: Entry, writer: Entry): Resolver | null {
    let resolver = reader.resolvers.get(writer.schema.fingerprint);
    if (resolver === undefined) {
      try {
        resolver = reader === writer ? null : reader.schema.type.createResolver(writer.schema.type);
      } catch (error) {
        resolver = new ContractError(
          'CONTRACTS.INCOMPATIBLE_READER',
          `${reader.schema.name} v${reader.schema.version} cannot read v${writer.schema.version}: ${(error as Error).message}`,
        );
      }
      reader.resolvers.set(writer.schema.fingerprint, resolver);
    }
    if (resolver instanceof ContractError) throw resolver;
    return resolver;
  }

  private versionsOf(name: string): Map<number, Entry> {
    const versions = this.byName.get(name);
    if (!versions) throw new ContractError('CONTRACTS.UNKNOWN_CONTRACT', `no contract is named ${JSON.stringify(name)}`);
    return versions;
  }

  private entry(name: string, version?: number): Entry {
    if (version === undefined) {
      this.versionsOf(name);
      return this.latest.get(name)!;
    }
    const entry = this.versionsOf(name).get(version);
    if (!entry) throw new ContractError('CONTRACTS.UNKNOWN_VERSION', `${name} has no version ${version}`);
    return entry;
  }
}

function corrupt(writer: SchemaVersion, detail: string): ContractError {
  return new ContractError('CONTRACTS.CORRUPT_PAYLOAD', `${writer.name} v${writer.version} body cannot be read: ${detail}`);
}

// Names the paths and expected types of the invalid fields, never their values.
function invalidValue(schema: SchemaVersion, value: unknown): ContractError {
  const problems: string[] = [];
  schema.type.isValid(value, {
    errorHook: (path, _value, type) => problems.push(`${path.join('.') || '(root)'} (expected ${type.branchName ?? type.typeName})`),
  });
  const where = problems.length ? problems.slice(0, 10).join(', ') : 'the value cannot be written';
  return new ContractError('CONTRACTS.INVALID_VALUE', `${schema.name} v${schema.version}: invalid ${where}`);
}
