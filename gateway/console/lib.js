// What every part of the console shares: htm bound to Preact, and GraphQL over HTTP with the
// operator's key. Nothing is cached here: each view asks the gateway, so its scopes decide.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
export const GRAPHQL_PATH = '/graphql';

export class GraphQLFailure extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export async function graphql(key, query, variables = {}) {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLFailure(`The gateway answered HTTP ${response.status}`, 'HTTP_' + response.status);
  }
  const error = body.errors?.[0];
  if (error && body.data == null) throw new GraphQLFailure(error.message, error.extensions?.code);
  return { data: body.data ?? {}, errors: body.errors ?? [] };
}
