// Serve a composed supergraph with Apollo Gateway, a federation router, for development.
//
//   node router.mjs --supergraph supergraph.graphql [--host 127.0.0.1] [--port 4000]
//
// Prints one JSON line, {"url": ...}, once it answers. The caller's credentials (X-API-Key,
// Authorization) and X-Request-Id go on to every subgraph, so each one authorizes the caller
// itself. Errors carry no stack trace; Apollo's usage telemetry is off. Stop it with SIGINT or
// SIGTERM.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const FORWARDED_HEADERS = ['x-api-key', 'authorization', 'x-request-id'];

const { values } = parseArgs({
  options: {
    supergraph: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '4000' },
  },
});

class ForwardingDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    for (const name of FORWARDED_HEADERS) {
      const value = context.headers?.[name];
      if (value) request.http.headers.set(name, value);
    }
  }
}

process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const gateway = new ApolloGateway({
  supergraphSdl: await readFile(values.supergraph, 'utf8'),
  buildService: ({ url }) => new ForwardingDataSource({ url }),
});
const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
const { url } = await startStandaloneServer(server, {
  listen: { host: values.host, port: Number(values.port) },
  context: async ({ req }) => ({ headers: req.headers }),
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.stop().then(() => process.exit(0)));
}
console.log(JSON.stringify({ url }));
