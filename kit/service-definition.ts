/**
 * How a service runs: what `npm start` launches and what docker-compose.yml must run too (a test
 * holds them together). Every service folder declares its own in `service.ts`; `scripts/services.ts`
 * lists them in start order.
 *
 * Placeholders in `env` values, resolved with the host each service is reached at (127.0.0.1 under
 * `npm start`, the service name under docker compose):
 * - `{inventory}`: that service's GraphQL URL (`http://host:4001/graphql`);
 * - `{sandboxes:4103}`: a base URL on that service and port (`http://host:4103`);
 * - `{self}`: this service's own base URL, for callbacks a platform must reach.
 */
export interface ServiceDefinition {
  name: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  port: number;
  /** The variable that carries `port`. @default PORT */
  portVariable?: string;
  /** @default /readiness */
  readinessPath?: string;
  env: Record<string, string>;
  /** Whether the service owns data (a PGlite directory locally, a schema on the server). */
  usesDatabase: boolean;
  /** Services that must be ready first. */
  dependsOn: string[];
}

/**
 * Variables of a service that calls Ponte's other services with a credential of its own (the
 * platform subgraphs calling the inventory): the access subgraph, which resolves keys, and the
 * service's own API key. `npm start` fills the key in (data/dev-credentials.json); in production
 * an admin creates it (`npm run keys -- create --role service ...`) and the deployment supplies it.
 */
export const SERVICE_KEY_ENV = { ACCESS_URL: '{access}', PONTE_SERVICE_KEY: '' } as const;

/** Variables every service that sits behind the gateway reads; `npm start` fills in a fresh secret. */
export const GATEWAY_SECRET_ENV = { PONTE_GATEWAY_SECRET: '' } as const;
