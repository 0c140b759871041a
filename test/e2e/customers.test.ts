import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomersClient, CustomersRejection, CustomersUnavailable } from '../../subgraphs/platform-common/customers-client.ts';
import { customersExtraSubgraph } from '../support/customers.ts';
import { as, graphql, startPonte, TEST_KEYS, TEST_SERVICE_KEYS, type RunningPonte } from '../support/ponte.ts';

let ponte: RunningPonte;
let client: CustomersClient;

beforeAll(async () => {
  ponte = await startPonte({ extraSubgraphs: [customersExtraSubgraph().extra] });
  // The orders subgraph's side: a service key, straight to the customers subgraph.
  client = new CustomersClient({ url: ponte.extraUrls['customers']!, serviceKey: TEST_SERVICE_KEYS['shopify'] });
});

afterAll(async () => {
  await ponte?.close();
});

const ana = { platformCustomerId: 'gid://shopify/Customer/77', name: 'Ana Souza', email: 'ana.souza@example.com', phone: '(11) 98765-4321', cpf: '529.982.247-25', address: { street: 'Rua das Flores', number: '10', city: 'São Paulo', state: 'SP', postalCode: '01310-100', country: 'BR' } };
const PROFILE = 'query($id: ID!) { customer(id: $id) { id erased name { value } email { value source { kind channel } } cpf { value } phone { value } channels identities { channel platformCustomerId } } }';

describe('customers through the gateway', () => {
  let customerId: string;

  it('a service identifies shoppers from two channels into one profile; an operator finds and reads it', async () => {
    customerId = (await client.identify(ana, { channel: 'shopify-br', orderReference: '8100000001', observedAt: '2026-09-01T10:00:00Z' }))!;
    expect(customerId).toMatch(/^cus_/);
    const again = await client.identify({ cpf: '52998224725', phone: '+55 11 98765-4321', name: 'Ana S.' }, { channel: 'mercado-livre', orderReference: '2000001', observedAt: '2026-09-02T10:00:00Z' });
    expect(again).toBe(customerId);
    expect(await client.identify({ name: 'Cliente balcão' }, { channel: 'pos-ipanema', orderReference: 'PDV-1', observedAt: '2026-09-02T10:00:00Z' })).toBeNull();

    const found = await graphql(ponte.gatewayUrl, '{ customers(search: { email: " Ana.Souza@EXAMPLE.com" }) { id } }');
    expect(found.errors).toBeUndefined();
    expect(found.data).toEqual({ customers: [{ id: customerId }] });
    const shown = await graphql<{ customer: Record<string, unknown> }>(ponte.gatewayUrl, PROFILE, { id: customerId });
    expect(shown.errors).toBeUndefined();
    expect(shown.data!.customer).toEqual({
      id: customerId, erased: false, name: { value: 'Ana S.' }, email: { value: 'ana.souza@example.com', source: { kind: 'CHANNEL', channel: 'shopify-br' } },
      cpf: { value: '52998224725' }, phone: { value: '+5511987654321' }, channels: ['mercado-livre', 'shopify-br'],
      identities: [{ channel: 'shopify-br', platformCustomerId: 'gid://shopify/Customer/77' }, { channel: 'mercado-livre', platformCustomerId: null }],
    });
  });

  it('refuses profiles to storefront, internal, partner and service keys, and their writes, changing nothing', async () => {
    for (const headers of [as('storefront'), as('internal'), as('partner'), { authorization: `Bearer ${TEST_SERVICE_KEYS['shopify']}` }]) {
      const read = await graphql(ponte.gatewayUrl, PROFILE, { id: customerId }, headers);
      expect(read.errors?.[0]?.extensions?.code, headers.authorization).toBe('FORBIDDEN');
      expect(read.data?.['customer'] ?? null).toBeNull();
      const search = await graphql(ponte.gatewayUrl, '{ customers(search: { cpf: "52998224725" }) { id } }', {}, headers);
      expect(search.errors?.[0]?.extensions?.code, headers.authorization).toBe('FORBIDDEN');
      const erase = await graphql(ponte.gatewayUrl, 'mutation($id: ID!) { eraseCustomer(id: $id, reason: "x") { id } }', { id: customerId }, headers);
      expect(erase.errors?.[0]?.extensions?.code, headers.authorization).toBe('FORBIDDEN');
    }
    const anonymous = await graphql(ponte.gatewayUrl, PROFILE, { id: customerId }, as('anonymous'));
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await graphql<{ customer: { erased: boolean; email: unknown } }>(ponte.gatewayUrl, PROFILE, { id: customerId })).data!.customer).toMatchObject({ erased: false, email: { value: 'ana.souza@example.com' } });
  });

  it('refuses direct calls that are not a service key: an operator key must come through the gateway', async () => {
    const operatorDirect = new CustomersClient({ url: ponte.extraUrls['customers']!, serviceKey: TEST_KEYS.operator });
    await expect(operatorDirect.identify({ email: 'x@example.com' }, { channel: 'shopify-br', orderReference: 'X-1', observedAt: '2026-09-01T00:00:00Z' })).rejects.toBeInstanceOf(CustomersUnavailable);
    const direct = await fetch(ponte.extraUrls['customers']!, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SERVICE_KEYS['shopify']}` }, body: JSON.stringify({ query: '{ customers(search: { cpf: "52998224725" }) { id email { value } } }' }) });
    const body = (await direct.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await expect(client.identify({ email: 'y@example.com' }, { channel: 'shopify-br', orderReference: 'X-2', observedAt: 'yesterday' })).rejects.toBeInstanceOf(CustomersRejection);
  });

  it('an operator exports, corrects (seen at once: never cached) and erases; each request recorded', async () => {
    const exported = await graphql<{ exportCustomerData: { request: { kind: string }; data: { orders: unknown[]; profiles: Array<{ email: { value: string } }> } } }>(
      ponte.gatewayUrl, 'mutation($id: ID!) { exportCustomerData(id: $id, reason: "ticket 7") { request { kind } data } }', { id: customerId },
    );
    expect(exported.errors).toBeUndefined();
    expect(exported.data!.exportCustomerData.request.kind).toBe('ACCESS');
    expect(exported.data!.exportCustomerData.data.profiles[0]!.email.value).toBe('ana.souza@example.com');
    expect(exported.data!.exportCustomerData.data.orders).toHaveLength(2);

    const corrected = await graphql(ponte.gatewayUrl, 'mutation($id: ID!) { correctCustomer(id: $id, fields: { email: "ana@example.org" }, reason: "ticket 8") { email { value } } }', { id: customerId });
    expect(corrected.errors).toBeUndefined();
    expect((await graphql<{ customer: { email: { value: string } } }>(ponte.gatewayUrl, PROFILE, { id: customerId })).data!.customer.email.value).toBe('ana@example.org');

    const erased = await graphql(ponte.gatewayUrl, 'mutation($id: ID!) { eraseCustomer(id: $id, reason: "ticket 9") { kind outcome } }', { id: customerId });
    expect(erased.errors).toBeUndefined();
    expect((await graphql<{ customer: Record<string, unknown> }>(ponte.gatewayUrl, PROFILE, { id: customerId })).data!.customer).toMatchObject({ erased: true, name: null, email: null, cpf: null, phone: null });
    const records = await graphql<{ dataSubjectRequests: Array<{ kind: string; operator: string; reason: string }> }>(ponte.gatewayUrl, 'query($id: ID) { dataSubjectRequests(customerId: $id) { kind operator reason } }', { id: customerId });
    expect(records.data!.dataSubjectRequests).toEqual([
      { kind: 'ERASURE', operator: 'key:test-operator', reason: 'ticket 9' },
      { kind: 'CORRECTION', operator: 'key:test-operator', reason: 'ticket 8' },
      { kind: 'ACCESS', operator: 'key:test-operator', reason: 'ticket 7' },
    ]);
    // The order the erased customer was identified on answers no customer when redelivered.
    expect(await client.identify(ana, { channel: 'shopify-br', orderReference: '8100000001', observedAt: '2026-09-01T10:00:00Z' })).toBeNull();
  });
});
