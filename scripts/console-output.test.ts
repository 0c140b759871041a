import { describe, expect, it } from 'vitest';
import { createConsoleOutput, formatEvent, formatServiceLine, outputModeFor } from './console-output.ts';

function capture(mode: 'human' | 'json') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: createConsoleOutput(mode, { out: (text) => out.push(text), err: (text) => err.push(text) }) };
}

describe('npm start’s output', () => {
  it('is for a person on a terminal, JSON lines with --json or when piped', () => {
    expect(outputModeFor([], true)).toBe('human');
    expect(outputModeFor(['--json'], true)).toBe('json');
    expect(outputModeFor([], false)).toBe('json');
  });

  it('tells a person each service’s progress, restarts and give-ups in plain words', () => {
    expect(formatEvent({ kind: 'starting', service: 'inventory' })).toBe('… inventory starting');
    expect(formatEvent({ kind: 'ready', service: 'inventory', afterMs: 2345, restarts: 0 })).toBe('✓ inventory ready in 2.3 s');
    expect(formatEvent({ kind: 'ready', service: 'shopify', afterMs: 800, restarts: 2 })).toBe('✓ shopify is back (restart 2), ready in 0.8 s');
    expect(formatEvent({ kind: 'exited', service: 'shopify', cause: { code: null, signal: 'SIGKILL' }, restartInMs: 1000, quickCrashes: 2, maxQuickCrashes: 5 })).toBe(
      '✗ shopify was killed by SIGKILL; restarting it in 1.0 s (quick crash 2 of 5); the other services keep running',
    );
    expect(formatEvent({ kind: 'gave-up', service: 'amazon', cause: { code: 1, signal: null }, quickCrashes: 5 })).toMatch(
      /^✗ amazon exited with code 1 and has crashed 5 times in a row soon after starting; not restarting it again\. The other services keep running/,
    );
  });

  it('shows a service’s warnings and errors as one line each, with the ids they name, and leaves routine lines out', () => {
    const info = JSON.stringify({ level: 30, time: '2026-12-01T10:00:00.000Z', service: 'shopify', msg: 'shopify subgraph listening', url: 'http://127.0.0.1:4011/graphql' });
    const warn = JSON.stringify({ level: 40, time: '2026-12-01T10:00:00.000Z', service: 'shopify', component: 'stock-sync', sku: 'CAM-BASICA-M', attempts: 20, msg: 'listing quantity could not be pushed; kept as a dead letter' });
    const error = JSON.stringify({ level: 50, service: 'inventory', msg: 'request failed', err: { type: 'Error', message: 'connection refused', stack: 'Error: connection refused\n    at …' } });
    expect(formatServiceLine('shopify', 'stdout', info)).toBeUndefined();
    expect(formatServiceLine('shopify', 'stdout', warn)).toBe('! shopify: listing quantity could not be pushed; kept as a dead letter (sku CAM-BASICA-M, attempts 20)');
    expect(formatServiceLine('inventory', 'stdout', error)).toBe('✗ inventory: request failed (connection refused)');
    expect(formatServiceLine('sandboxes', 'stdout', '[sandbox:shopify] listening on http://0.0.0.0:4101')).toBeUndefined();
    expect(formatServiceLine('sandboxes', 'stderr', '[sandboxes] cannot start: EADDRINUSE')).toBe('! sandboxes: [sandboxes] cannot start: EADDRINUSE');
  });

  it('passes the services’ JSON lines through untouched in JSON mode, its own events as JSON lines too', () => {
    const { out, err, output } = capture('json');
    const line = JSON.stringify({ level: 30, service: 'catalog', msg: 'catalog subgraph listening' });
    output.line('catalog', 'stdout', line);
    output.line('sandboxes', 'stderr', 'oops');
    output.event({ kind: 'ready', service: 'catalog', afterMs: 1200, restarts: 0 });
    expect(out[0]).toBe(line);
    expect(err).toEqual(['[sandboxes] oops']);
    expect(JSON.parse(out[1]!)).toMatchObject({ level: 30, service: 'npm-start', event: 'ready', target: 'catalog', afterMs: 1200, msg: '✓ catalog ready in 1.2 s' });
  });

  it('ends the start with where to go', () => {
    const { out, output } = capture('human');
    output.ready({ gatewayUrl: 'http://localhost:4000/graphql', graphiqlUrl: 'http://localhost:4000/graphql', consoleUrl: 'http://localhost:4000/console', database: 'embedded PGlite in ./data', extraLines: ['Partner key: pk_…'] });
    expect(out.join('\n')).toMatch(/Ponte is ready\.\n {2}GraphQL \(HTTP and graphql-ws\): http:\/\/localhost:4000\/graphql\n {2}GraphiQL, with example operations: http:\/\/localhost:4000\/graphql\n {2}Operator console \(sign in with the operator key\): http:\/\/localhost:4000\/console\n {2}Database: embedded PGlite in \.\/data\n {2}Partner key: pk_…/);
  });
});
