import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { encodePrincipal } from '../../kit/identity.ts';
import { PRINCIPAL_HEADER } from '../../kit/principal.ts';
import { serveChild, type ApolloGatewayStart } from './ipc.ts';
import { BENCH_WRITER } from './targets.ts';

/**
 * The baseline: @apollo/gateway over the same supergraph, served by Apollo Server's standalone
 * (node:http) server, with its defaults: query plan cache on, no response cache, no
 * deduplication of subgraph fetches. It sends the subgraphs the same secret Ponte's gateway does.
 */
serveChild<ApolloGatewayStart>(async ({ gatewaySecret, supergraphSdl }) => {
  // Otherwise the gateway probes cloud metadata endpoints and exports usage metrics to Apollo.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request }) {
          request.http?.headers.set(GATEWAY_SECRET_HEADER, gatewaySecret);
          // No authentication here: every call is the bench's writer, so the mix's writes reach the inventory.
          request.http?.headers.set(PRINCIPAL_HEADER, encodePrincipal(BENCH_WRITER));
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return {
    urls: { gateway: url },
    description: '@apollo/gateway (JavaScript query planner) in @apollo/server standalone, no response cache',
    stats: () => ({}),
    close: () => server.stop(),
  };
});
