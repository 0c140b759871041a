import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql module for our code and the libraries, as under plain Node (which loads its
    // CommonJS build): Vite would otherwise give our code the .mjs build, and a GraphQLError
    // thrown by our plugins would fail the runtime's `instanceof` check and be masked.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    include: ['schema/**/*.test.ts', 'kit/**/*.test.ts', 'subgraphs/**/*.test.ts', 'gateway/**/*.test.ts', 'sandboxes/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers than that only makes every suite slower.
    maxWorkers: 2,
    // A worker runs file after file in one process: our modules (Apollo, the Hive runtime, PGlite)
    // load once per worker rather than once per file, and the test databases' PGlite
    // (test/support/database.ts) starts once per worker. The whole suite on PGlite: 520 s → 317 s,
    // run one after the other on this machine. What a file starts it stops (servers, timers,
    // tracing, fake timers, environment variables it set), which the isolation used to hide.
    isolate: false,
    // As `npm start` runs: PGlite's WebAssembly compiled by V8's baseline compiler only. Each test
    // file opens PGlite afresh, and optimising PostgreSQL's WebAssembly cost more than it saved
    // (three PGlite-heavy files: 21.7 s → 14.6 s).
    execArgv: ['--liftoff-only'],
  },
});
