import { GATEWAY_SECRET_ENV, type ServiceDefinition } from '../../kit/service-definition.ts';

export const ACCESS_PORT = 4003;

/** API keys and the audit log. `npm start` adds PONTE_BOOTSTRAP_KEYS (development keys, by hash). */
export const accessService: ServiceDefinition = {
  name: 'access',
  entry: 'subgraphs/access/main.ts',
  port: ACCESS_PORT,
  env: { ...GATEWAY_SECRET_ENV },
  usesDatabase: true,
  dependsOn: [],
};
