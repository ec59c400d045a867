import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContractRegistry } from '../codec/contract-registry';
import { SCHEMAS_DIR } from '../paths';
import { kebabCase, loadSchemaFolder } from './schema-files';

const schemas = loadSchemaFolder(SCHEMAS_DIR);
const NOT_EVENTS = new Set(['DeadLetter']);

describe(loadSchemaFolder.name, () => {
  it('loads every contract the hub needs', () => {
    const names = new Set(schemas.map((schema) => schema.name));
    for (const name of [
      'PartnerRecordReceived', 'PartnerRecordWithdrawn', 'PersonObserved', 'InvolvementObserved', 'RelationshipObserved',
      'AddressObserved', 'RecordRejected', 'MasterPersonCreated', 'MasterPersonUpdated', 'MasterPersonMerged',
      'MasterPersonSplit', 'GroupChanged', 'CohortScoreChanged', 'AlertRaised', 'DeadLetter',
    ]) {
      expect(names).toContain(name);
    }
  });

  it.each(schemas.map((schema) => [`${schema.name} v${schema.version}`, schema] as const))(
    '%s has a namespace, a past-tense name and a canonical form equal to avsc\'s',
    (_label, schema) => {
      expect(schema.fullName).toMatch(/^uk\.gov\.hub\.[a-z]+\.[A-Z][A-Za-z]+$/);
      if (!NOT_EVENTS.has(schema.name)) expect(schema.name).toMatch(/(ed|Split|Raised|Withdrawn)$/);
      expect(schema.canonicalForm).toBe(JSON.stringify(schema.type.schema()));
      expect(kebabCase(schema.name)).toBe(schema.file.split(/[\\/]/).at(-2));
    },
  );

  it.each(schemas.filter((schema) => !NOT_EVENTS.has(schema.name)).map((schema) => [`${schema.name} v${schema.version}`, schema] as const))(
    '%s carries the shared envelope first',
    (_label, schema) => {
      const fields = schema.schema.fields as { name: string; type: unknown }[];
      expect(fields[0].name).toBe('envelope');
      const envelope = fields[0].type as { name: string; namespace: string; fields: { name: string }[] };
      expect(`${envelope.namespace}.${envelope.name}`).toBe('uk.gov.hub.common.Envelope');
      expect(envelope.fields.map((field) => field.name)).toEqual(
        expect.arrayContaining(['eventId', 'sourceSystem', 'sourceRecordId', 'sourceVersion', 'occurredAt', 'receivedAt', 'dataSharingAgreement', 'lawfulBasis', 'sensitivity']),
      );
    },
  );

  it('gives every optional field a default, so that versions can evolve', () => {
    for (const schema of schemas) {
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (!node || typeof node !== 'object') return;
        const record = node as { type?: unknown; fields?: { name: string; type: unknown; default?: unknown }[] };
        for (const field of record.fields ?? []) {
          if (Array.isArray(field.type) && field.type.includes('null')) expect({ field: field.name, default: field.default }).toEqual({ field: field.name, default: null });
          walk(field.type);
        }
        walk(record.type);
      };
      walk(schema.schema);
    }
  });

  describe('in a folder of its own', () => {
    let dir: string;
    const write = (path: string, schema: object) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), JSON.stringify(schema));
    };
    const shared = { type: 'record', name: 'Shared', namespace: 'x.common', fields: [{ name: 's', type: 'string' }] };
    const event = (fields: object[]) => ({ type: 'record', name: 'ThingHappened', namespace: 'x.things', 'x-includes': ['_common/shared/v1'], fields });

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'contracts-schemas-'));
      write('_common/shared/v1.avsc', shared);
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('inlines an included type at its first use and refers to it by name after', () => {
      write('thing-happened/v1.avsc', event([{ name: 'a', type: 'x.common.Shared' }, { name: 'b', type: 'x.common.Shared' }]));
      const [loaded] = loadSchemaFolder(dir);
      expect(loaded.canonicalForm).toBe(
        '{"name":"x.things.ThingHappened","type":"record","fields":[{"name":"a","type":{"name":"x.common.Shared","type":"record","fields":[{"name":"s","type":"string"}]}},{"name":"b","type":"x.common.Shared"}]}',
      );
      expect(loaded.schema).not.toHaveProperty('x-includes');
    });

    it('refuses a folder named other than its record', () => {
      write('thing-done/v1.avsc', event([{ name: 'a', type: 'x.common.Shared' }]));
      expect(() => loadSchemaFolder(dir)).toThrow(/folder must be thing-happened/);
    });

    it('refuses two versions with the same canonical form', () => {
      write('thing-happened/v1.avsc', event([{ name: 'a', type: 'x.common.Shared', doc: 'one' }]));
      write('thing-happened/v2.avsc', event([{ name: 'a', type: 'x.common.Shared', doc: 'two' }]));
      expect(() => ContractRegistry.fromFolder(dir)).toThrow(/same canonical form/);
    });
  });
});
