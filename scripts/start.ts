import { randomBytes } from 'node:crypto';
import { isProduction } from '../kit/mode.ts';
import { createConsoleOutput, outputModeFor } from './console-output.ts';
import { resolveServiceValue, services, type ServiceDefinition } from './services.ts';
import { Supervisor, SupervisorStopped, type SupervisedService } from './supervisor.ts';

/**
 * `npm start`: the whole system on this machine, one process per service as in production,
 * on the embedded database (PGlite under ./data) unless DATABASE_URL is set, with demo data.
 * A service that exits on its own is restarted with backoff while the rest keep running
 * (`scripts/supervisor.ts`); Ctrl-C stops every service gracefully. Output: human lines on a
 * terminal, JSON lines with `--json` or when piped (`scripts/console-output.ts`).
 */
const dataDir = process.env.PONTE_DATA_DIR ?? 'data';
const secret = process.env.PONTE_GATEWAY_SECRET || randomBytes(24).toString('base64url');
const output = createConsoleOutput(outputModeFor(process.argv.slice(2), process.stdout.isTTY === true));

function environmentFor(service: ServiceDefinition): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, [service.portVariable ?? 'PORT']: String(service.port), PONTE_DATA_DIR: dataDir };
  for (const [name, value] of Object.entries(service.env)) env[name] = resolveServiceValue(value, service, () => '127.0.0.1');
  if ('PONTE_GATEWAY_SECRET' in service.env) env.PONTE_GATEWAY_SECRET = secret;
  return env;
}

/** A service as the supervisor runs it: ready when its readiness endpoint on its fixed port answers. */
function supervised(service: ServiceDefinition): SupervisedService {
  const readiness = `http://127.0.0.1:${service.port}${service.readinessPath ?? '/readiness'}`;
  return {
    name: service.name,
    entry: service.entry,
    env: environmentFor(service),
    dependsOn: service.dependsOn,
    isReady: async () => (await fetch(readiness)).ok,
  };
}

function readySummary() {
  const gateway = services.find((service) => service.name === 'gateway')!;
  const gatewayUrl = `http://localhost:${gateway.port}/graphql`;
  return {
    gatewayUrl,
    // The gateway serves GraphiQL on its GraphQL path to a browser, outside production mode.
    graphiqlUrl: isProduction() ? undefined : gatewayUrl,
    database: process.env.DATABASE_URL ? 'PostgreSQL server (DATABASE_URL)' : `embedded PGlite in ./${dataDir}`,
  };
}

const supervisor = new Supervisor({
  services: services.map(supervised),
  onEvent: (event) => output.event(event),
  onLine: (service, stream, line) => output.line(service, stream, line),
});

let exitCode = 0;
const stop = (code: number) => {
  exitCode ||= code;
  void supervisor.stop().then(() => process.exit(exitCode));
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  await supervisor.start();
  output.ready(readySummary());
} catch (error) {
  if (!(error instanceof SupervisorStopped)) {
    output.failed((error as Error).message);
    stop(1);
  }
}
