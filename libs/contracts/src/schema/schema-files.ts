// Reads the schemas folder: one folder per contract (kebab-case of its record name), one
// file per version (v1.avsc, v2.avsc...). Shared named types live under _common/ and are
// pulled in by an "x-includes" list ("_common/envelope/v1"), so each is defined once; the
// include is pinned to a version so that a published writer schema can never change under
// a reader's feet. Inlining produces the self-contained writer schema whose canonical form
// is fingerprinted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'avsc';
import { parsingCanonicalForm } from '../fingerprint/canonical-form';
import { crc64Avro, fingerprintHex } from '../fingerprint/crc64-avro';

export const INCLUDES_ATTRIBUTE = 'x-includes';
const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);
const VERSION_FILE = /^v([1-9][0-9]*)\.avsc$/;

type JsonObject = { [key: string]: unknown };

/** One version of one contract, ready for encoding and decoding. */
export interface SchemaVersion {
  /** Record name without namespace: the contract's name, e.g. "PersonObserved". */
  readonly name: string;
  readonly fullName: string;
  readonly version: number;
  readonly file: string;
  /** The self-contained writer schema, with docs and defaults. */
  readonly schema: JsonObject;
  readonly type: Type;
  readonly canonicalForm: string;
  readonly fingerprint: bigint;
  readonly fingerprintHex: string;
}

/** Parses a self-contained schema the way every contract is parsed: null-unions become `T | null`. */
export function parseType(schema: unknown): Type {
  // A fresh options object each time: avsc keeps its registry of names in it.
  return Type.forSchema(schema as never, { wrapUnions: 'never' });
}

/** Every version of every contract under schemasDir, ordered by folder then version. */
export function loadSchemaFolder(schemasDir: string): SchemaVersion[] {
  const versions: SchemaVersion[] = [];
  for (const folder of readdirSync(schemasDir, { withFileTypes: true })) {
    if (!folder.isDirectory() || folder.name.startsWith('_')) continue;
    const files = readdirSync(join(schemasDir, folder.name))
      .map((file) => ({ file, match: VERSION_FILE.exec(file) }))
      .filter((entry) => entry.match !== null)
      .sort((a, b) => Number(a.match![1]) - Number(b.match![1]));
    for (const { file, match } of files) {
      const loaded = loadSchemaFile(join(schemasDir, folder.name, file), schemasDir, Number(match![1]));
      if (kebabCase(loaded.name) !== folder.name) {
        throw new Error(`${folder.name}/${file}: the record is named ${loaded.name}, so its folder must be ${kebabCase(loaded.name)}`);
      }
      versions.push(loaded);
    }
  }
  return versions.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
}

/** One schema file (a contract version or a candidate such as a fixture). */
export function loadSchemaFile(file: string, schemasDir: string, version = 0): SchemaVersion {
  const raw = readJson(file);
  const definitions = new Map<string, JsonObject>();
  collectIncludes(raw, schemasDir, definitions, [file]);
  const schema = inline(raw, '', definitions, new Set()) as JsonObject;
  if (schema.type !== 'record' || typeof schema.name !== 'string') throw new Error(`${file}: a contract must be a named record`);
  let type: Type;
  try {
    type = parseType(schema);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const canonicalForm = parsingCanonicalForm(schema);
  const fingerprint = crc64Avro(Buffer.from(canonicalForm, 'utf8'));
  const fullName = type.name!;
  return {
    name: fullName.slice(fullName.lastIndexOf('.') + 1),
    fullName,
    version,
    file,
    schema,
    type,
    canonicalForm,
    fingerprint,
    fingerprintHex: fingerprintHex(fingerprint),
  };
}

export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function readJson(file: string): JsonObject {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

function collectIncludes(schema: JsonObject, schemasDir: string, definitions: Map<string, JsonObject>, trail: string[]): void {
  const includes = schema[INCLUDES_ATTRIBUTE] ?? [];
  if (!Array.isArray(includes)) throw new Error(`${trail[0]}: ${INCLUDES_ATTRIBUTE} must be a list`);
  for (const include of includes as string[]) {
    const file = join(schemasDir, `${include}.avsc`);
    if (trail.includes(file)) throw new Error(`${trail[0]}: circular include ${include}`);
    const definition = readJson(file);
    collectIncludes(definition, schemasDir, definitions, [...trail, file]);
    const name = fullName(String(definition.name), typeof definition.namespace === 'string' ? definition.namespace : '');
    const previous = definitions.get(name);
    if (previous && JSON.stringify(previous) !== JSON.stringify(definition)) {
      throw new Error(`${trail[0]}: two different versions of ${name} are included`);
    }
    definitions.set(name, definition);
  }
}

// Replaces the first reference to each included type by its definition; later references
// stay names, as Avro requires.
function inline(schema: unknown, namespace: string, definitions: Map<string, JsonObject>, defined: Set<string>): unknown {
  if (typeof schema === 'string') {
    if (PRIMITIVES.has(schema)) return schema;
    const name = fullName(schema, namespace);
    const definition = definitions.get(name);
    if (defined.has(name) || !definition) return schema;
    return inline(definition, namespace, definitions, defined);
  }
  if (Array.isArray(schema)) return schema.map((branch) => inline(branch, namespace, definitions, defined));
  if (schema === null || typeof schema !== 'object') return schema;
  const { [INCLUDES_ATTRIBUTE]: _includes, ...object } = schema as JsonObject;
  const type = object.type;
  if (typeof type === 'string' && NAMED.has(type)) {
    const name = fullName(String(object.name), typeof object.namespace === 'string' ? object.namespace : namespace);
    defined.add(name);
    if (type !== 'record' && type !== 'error') return object;
    const inner = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
    const fields = (object.fields as JsonObject[]).map((field) => ({ ...field, type: inline(field.type, inner, definitions, defined) }));
    return { ...object, fields };
  }
  if (type === 'array') return { ...object, items: inline(object.items, namespace, definitions, defined) };
  if (type === 'map') return { ...object, values: inline(object.values, namespace, definitions, defined) };
  return { ...object, type: inline(type, namespace, definitions, defined) };
}

function fullName(name: string, namespace: string): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}
