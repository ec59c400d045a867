// Lint is here for one thing above all: module boundaries that hold. Nx tags say which
// project may import which; a second rule keeps every `domain/` folder free of I/O.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const ioPackages = ['kafkajs', 'pg', 'typeorm', 'ioredis', 'avsc', '@nestjs/*', 'fastify', 'node:fs', 'fs', 'node:net', 'net', 'node:http', 'http'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', '.run/**', '.nx/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs', '**/generated/**'] },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: ioPackages,
            },
            { sourceTag: 'type:testkit', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain', 'type:testkit'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain', 'type:testkit'] },
          ],
        },
      ],
    },
  },
  {
    // Tests may use the test kit wherever they live.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/bench/**/*.ts', '**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ioPackages.map((group) => ({ group: [group], message: 'domain code has no I/O: no framework, database, Kafka or file access' })) }],
    },
  },
];
