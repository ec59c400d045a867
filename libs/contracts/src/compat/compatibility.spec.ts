import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ContractRegistry } from '../codec/contract-registry';
import { FIXTURES_DIR, SCHEMAS_DIR } from '../paths';
import { kebabCase, loadSchemaFile, parseType } from '../schema/schema-files';
import { checkCandidate, checkContract, whyUnreadable } from './compatibility';

const registry = ContractRegistry.fromFolder(SCHEMAS_DIR);
const contractByFolder = new Map(registry.names().map((name) => [kebabCase(name), name]));
const fixtureFolders = readdirSync(FIXTURES_DIR).sort();

describe('full transitive compatibility', () => {
  it.each(registry.names())('every version of %s reads every other version', (name) => {
    expect(checkContract(registry, name)).toEqual([]);
  });

  it('ships an evolved and a broken fixture for every contract', () => {
    expect(fixtureFolders).toEqual([...contractByFolder.keys()].sort());
    for (const folder of fixtureFolders) {
      expect(existsSync(join(FIXTURES_DIR, folder, 'evolved.avsc'))).toBe(true);
      expect(existsSync(join(FIXTURES_DIR, folder, 'broken.avsc'))).toBe(true);
    }
  });

  it.each(fixtureFolders)('accepts the evolved fixture of %s against all its versions', (folder) => {
    const candidate = loadSchemaFile(join(FIXTURES_DIR, folder, 'evolved.avsc'), SCHEMAS_DIR);
    expect(checkCandidate(registry, candidate, 'evolved', contractByFolder.get(folder))).toEqual([]);
  });

  it.each(fixtureFolders)('rejects the broken fixture of %s', (folder) => {
    const candidate = loadSchemaFile(join(FIXTURES_DIR, folder, 'broken.avsc'), SCHEMAS_DIR);
    const problems = checkCandidate(registry, candidate, 'broken', contractByFolder.get(folder));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].contract).toBe(contractByFolder.get(folder));
  });

  describe(whyUnreadable.name, () => {
    const record = (fields: object[]) => parseType({ type: 'record', name: 'T', namespace: 'x', fields });

    it('allows an added field only with a default', () => {
      const v1 = record([{ name: 'a', type: 'string' }]);
      const withDefault = record([{ name: 'a', type: 'string' }, { name: 'b', type: ['null', 'string'], default: null }]);
      const withoutDefault = record([{ name: 'a', type: 'string' }, { name: 'b', type: 'string' }]);
      expect(whyUnreadable(withDefault, v1)).toBeNull();
      expect(whyUnreadable(v1, withDefault)).toBeNull();
      expect(whyUnreadable(withoutDefault, v1)).toMatch(/default-less/);
    });

    it('allows a promotion one way only', () => {
      const int = record([{ name: 'a', type: 'int' }]);
      const long = record([{ name: 'a', type: 'long' }]);
      expect(whyUnreadable(long, int)).toBeNull();
      expect(whyUnreadable(int, long)).not.toBeNull();
    });

    it('reads an unknown enum symbol only when the reader has an enum default', () => {
      const e = (symbols: string[], extra: object = {}) => record([{ name: 'k', type: { type: 'enum', name: 'K', symbols, ...extra } }]);
      expect(whyUnreadable(e(['A', 'OTHER'], { default: 'OTHER' }), e(['A', 'B', 'OTHER']))).toBeNull();
      expect(whyUnreadable(e(['A', 'OTHER']), e(['A', 'B', 'OTHER']))).not.toBeNull();
    });
  });
});
