import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveServiceValue, services } from './services.ts';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
}

const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

/** Variables that carry a secret, by name; DATABASE_URL carries the database password. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|_KEY$|_KEYS$|^LWA_CLIENT_ID$/;

describe('docker-compose.yml matches what npm start launches', () => {
  it('has the same application services and a PostgreSQL server', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...services.map((service) => service.name), 'postgres'].sort());
  });

  it.each(services.map((service) => [service.name, service] as const))('%s: same entry, port, variables and dependencies', (name, service) => {
    const deployed = compose.services[name]!;
    expect(deployed.command).toEqual(['node', service.entry]);
    const environment = deployed.environment ?? {};
    expect(environment[service.portVariable ?? 'PORT']).toBe(String(service.port));
    for (const variable of Object.keys(service.env)) expect(environment, `${name} lacks ${variable}`).toHaveProperty(variable);
    for (const [variable, value] of Object.entries(service.env)) {
      // Where npm start points at another service, compose must point at the same one, by name.
      if (value.includes('{')) expect(environment[variable], `${name} ${variable}`).toBe(resolveServiceValue(value, service, (host) => host));
      // Secrets come from the deployment's own environment, never from the file.
      else if (!['PONTE_GATEWAY_SECRET', 'PONTE_SERVICE_KEY', 'HOST'].includes(variable)) expect(environment[variable], `${name} ${variable}`).toBe(value);
    }
    if (service.usesDatabase) expect(environment.DATABASE_URL).toMatch(/^postgres:\/\//);
    expect(Object.keys(deployed.depends_on ?? {}).filter((dependency) => dependency !== 'postgres').sort()).toEqual([...service.dependsOn].sort());
  });

  it('binds every container on all of its interfaces (services default to loopback, unreachable from the others)', () => {
    for (const service of services) expect(compose.services[service.name]!.environment?.HOST, service.name).toBe('0.0.0.0');
  });

  it('every entry file exists', () => {
    for (const service of services) expect(() => readFileSync(new URL(`../${service.entry}`, import.meta.url))).not.toThrow();
  });

  it('gives no secret a default: each comes from the environment, and compose stops when it is unset', () => {
    const checked: string[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (variable === 'DATABASE_URL') {
          expect(value, `${name} DATABASE_URL`).toMatch(/^postgres:\/\/ponte:\$\{POSTGRES_PASSWORD:\?[^}]+\}@/);
          continue;
        }
        if (!SECRET_NAME.test(variable)) continue;
        // `${VAR:?message}` makes compose refuse to run without it; `${VAR:-x}` or a literal would be a published default.
        // A secret each service holds its own of (PONTE_SERVICE_KEY) comes from a variable named for the service.
        const source = variable === 'PONTE_SERVICE_KEY' ? `${name.toUpperCase()}_SERVICE_KEY` : variable;
        expect(value, `${name} ${variable}`).toMatch(new RegExp(`^\\$\\{${source}:\\?[^}]+\\}$`));
        checked.push(`${name}.${variable}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['postgres.POSTGRES_PASSWORD', 'gateway.PONTE_GATEWAY_SECRET', 'shopify.SHOPIFY_API_SECRET', 'shopify.PONTE_DATA_KEYS', 'customers.PONTE_DATA_KEYS', 'customers.PONTE_BLIND_INDEX_KEY', 'amazon.LWA_CLIENT_SECRET']));
  });

  it('runs every Ponte service in production mode', () => {
    for (const service of services.filter((each) => each.name !== 'sandboxes')) {
      expect(compose.services[service.name]?.environment?.NODE_ENV, service.name).toBe('production');
    }
  });
});

describe('docker-compose.replicas.yml', () => {
  // `!override` is Compose's merge tag (it replaces a sequence instead of appending to it).
  const replicas = parse(readFileSync(new URL('../docker-compose.replicas.yml', import.meta.url), 'utf8'), {
    merge: true,
    customTags: [{ tag: '!override', collection: 'seq', resolve: (value) => value }],
  }) as { services: Record<string, ComposeService & { deploy?: { replicas?: number }; ports?: string[] }> };
  /** What test/e2e/replicas.test.ts runs as two replicas each. */
  const tested = ['gateway', 'inventory', 'shopify', 'woocommerce', 'mercadolivre', 'amazon'];

  it('replicates what the replicas test replicates, and only services docker-compose.yml has', () => {
    expect(Object.keys(replicas.services).sort()).toEqual([...tested].sort());
    for (const [name, service] of Object.entries(replicas.services)) {
      expect(compose.services[name], name).toBeDefined();
      expect(service.deploy?.replicas, name).toBe(2);
    }
  });

  it('gives each gateway replica a host port of its own', () => {
    expect(replicas.services['gateway']?.ports).toEqual(['4000-4001:4000']);
  });
});
