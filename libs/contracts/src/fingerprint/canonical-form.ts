// Parsing Canonical Form of an Avro schema, rule by rule from the specification
// (https://avro.apache.org/docs/current/specification/#parsing-canonical-form-for-schemas):
// [PRIMITIVES] [FULLNAMES] [STRIP] [ORDER] [STRINGS] [INTEGERS] [WHITESPACE].
// Written from the JSON schema rather than from avsc's types so that it can be checked on
// its own against the Avro test suite's vectors.

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The Parsing Canonical Form of a complete (self-contained) schema. */
export function parsingCanonicalForm(schema: unknown): string {
  return canonical(schema as Json, '', new Set<string>());
}

function canonical(schema: Json, namespace: string, defined: Set<string>): string {
  if (typeof schema === 'string') {
    return JSON.stringify(PRIMITIVES.has(schema) ? schema : fullName(schema, namespace));
  }
  if (Array.isArray(schema)) {
    return `[${schema.map((branch) => canonical(branch, namespace, defined)).join(',')}]`;
  }
  if (schema === null || typeof schema !== 'object') {
    throw new Error(`not an Avro schema: ${JSON.stringify(schema)}`);
  }
  const type = schema.type;
  if (typeof type !== 'string') return canonical(type, namespace, defined);
  if (PRIMITIVES.has(type)) return JSON.stringify(type);
  if (NAMED.has(type)) {
    const name = fullName(String(schema.name), typeof schema.namespace === 'string' ? schema.namespace : namespace);
    if (defined.has(name)) return JSON.stringify(name);
    defined.add(name);
    const inner = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
    const head = `{"name":${JSON.stringify(name)},"type":${JSON.stringify(type)}`;
    switch (type) {
      case 'enum':
        return `${head},"symbols":[${(schema.symbols as string[]).map((s) => JSON.stringify(s)).join(',')}]}`;
      case 'fixed':
        return `${head},"size":${integer(schema.size)}}`;
      default: {
        const fields = (schema.fields as { name: string; type: Json }[]).map(
          (field) => `{"name":${JSON.stringify(field.name)},"type":${canonical(field.type, inner, defined)}}`,
        );
        return `${head},"fields":[${fields.join(',')}]}`;
      }
    }
  }
  if (type === 'array') return `{"type":"array","items":${canonical(schema.items, namespace, defined)}}`;
  if (type === 'map') return `{"type":"map","values":${canonical(schema.values, namespace, defined)}}`;
  // A reference to a named type written as {"type": "some.Name"}.
  return JSON.stringify(fullName(type, namespace));
}

function fullName(name: string, namespace: string): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

function integer(value: Json): string {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`not an integer: ${JSON.stringify(value)}`);
  return String(value);
}
