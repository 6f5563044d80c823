// Two tiers: unit specs beside the code, end-to-end specs in test/ that boot the real app over HTTP.
// The e2e tier runs against SQLite by default and against MariaDB when DATABASE_URL is a mysql:// URL.
// Type checking is tsc's job in CI; ts-jest only transpiles, which keeps the suite fast.
const tsJest = ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true } }];
// The workspace packages are tested from their sources (no build needed to run a spec).
const moduleNameMapper = {
  '^@keygate/client$': '<rootDir>/packages/client/src/index.ts',
  '^@keygate/nestjs$': '<rootDir>/packages/nestjs/src/index.ts',
};
module.exports = {
  // A global option (jest ignores it inside a project): e2e specs boot a real app per file.
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/packages/*/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
    },
  ],
};
