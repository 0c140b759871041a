import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { principalFor, servicePrincipal } from '../../kit/identity.ts';
import { createLogger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { parseDataKeys, Sealer } from '../../kit/sealed.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { BlindIndex, blindIndexFromEnv, DEVELOPMENT_BLIND_INDEX_KEY } from './blind-index.ts';
import { createCustomersSubgraph, type CustomersSubgraph } from './index.ts';
import { CustomerProfiles } from './profiles.ts';
import { seedDemoCustomers } from './seed.ts';
import { demoCustomers } from '../../demo/customers.ts';

const KEY_A = 'ka:' + Buffer.alloc(32, 1).toString('base64');
const KEY_B = 'kb:' + Buffer.alloc(32, 2).toString('base64');
const operator = principalFor('operator', { id: 'key:test-operator', name: 'test-operator' });
const service = servicePrincipal('orders');
const internal = principalFor('internal', { id: 'key:test-internal', name: 'test-internal' });
const storefront = principalFor('storefront', { id: 'key:test-storefront', name: 'test-storefront' });
const partner = principalFor('partner', { id: 'key:test-partner', name: 'test-partner' });

let testDb: TestDatabase;
let customers: CustomersSubgraph;

async function start(keys = KEY_A, blindKey = DEVELOPMENT_BLIND_INDEX_KEY): Promise<CustomersSubgraph> {
  return createCustomersSubgraph({ database: testDb.db, log: createLogger('test'), sealer: new Sealer(parseDataKeys(keys)), blindIndex: new BlindIndex(blindKey) });
}

beforeAll(async () => {
  testDb = await createTestDatabase('customers');
  customers = await start();
});
afterAll(async () => {
  await customers?.server.apollo.stop();
  await testDb?.drop();
});
beforeEach(async () => {
  await testDb.db.exec(`TRUNCATE customers, customer_blind_indexes, customer_identities, customer_identifications, customer_merges,
    customer_merge_blocks, data_subject_requests, customer_changes CASCADE`);
});

type Result = { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

/** As `principal` (the operator unless given; null: anonymous). */
async function execute(query: string, variables: Record<string, unknown> = {}, principal: Principal | null = operator, subgraph = customers): Promise<Result> {
  const response = await subgraph.server.apollo.executeOperation({ query, variables }, { contextValue: subgraph.context(principal ?? undefined) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as Result;
}

const IDENTIFY = `mutation($input: IdentifyShopperInput!) { identifyShopper(input: $input) { customerId outcome matchedOn mergedCustomerIds rejected { field reason } } }`;
const PROFILE = `query($id: ID!) { customer(id: $id) { id status erased mergedInto { id }
  name { value source { kind channel operator observedAt } } email { value source { kind channel observedAt } } phone { value } cpf { value }
  address { value { street city state postalCode country } source { channel observedAt } }
  identities { channel platformCustomerId firstSeenAt lastSeenAt } channels merges { id survivorId absorbedId matchedOn survivorMatchedOn channel undoneAt } } }`;

async function identify(input: Record<string, unknown>, principal: Principal = service) {
  const result = await execute(IDENTIFY, { input: { observedAt: '2026-09-01T12:00:00Z', ...input } }, principal);
  expect(result.errors).toBeUndefined();
  return result.data!.identifyShopper as { customerId: string | null; outcome: string; matchedOn: string[]; mergedCustomerIds: string[]; rejected: Array<{ field: string }> };
}

async function profile(id: string) {
  const result = await execute(PROFILE, { id });
  expect(result.errors).toBeUndefined();
  return result.data!.customer;
}

const ana = { name: 'Ana Souza', email: 'Ana.Souza@Example.com', phone: '(11) 98765-4321', cpf: '529.982.247-25', address: { street: 'Rua das Flores', number: '10', city: 'São Paulo', state: 'sp', postalCode: '01310-100' } };

async function tableText(): Promise<string> {
  const tables = ['customers', 'customer_blind_indexes', 'customer_identities', 'customer_identifications', 'customer_merges', 'data_subject_requests', 'customer_changes'];
  const dumps = await Promise.all(tables.map((table) => testDb.db.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)));
  return JSON.stringify(dumps);
}

describe('identifying shoppers', () => {
  it('makes one profile, then matches it on any identifier from another channel, normalised', async () => {
    const first = await identify({ channel: 'shopify-br', platformCustomerId: 'gid://shopify/Customer/1', contact: ana, orderReference: 'S-1' });
    expect(first).toMatchObject({ outcome: 'CREATED', matchedOn: [], rejected: [] });
    // Mercado Livre: no e-mail, the CPF without punctuation, the phone in another format.
    const second = await identify({ channel: 'mercado-livre', platformCustomerId: '240000013', contact: { name: 'ANA SOUZA', cpf: '52998224725', phone: '+55 11 98765 4321' }, orderReference: 'M-1', observedAt: '2026-09-02T12:00:00Z' });
    expect(second).toMatchObject({ customerId: first.customerId, outcome: 'MATCHED', matchedOn: expect.arrayContaining(['CPF', 'PHONE']) });
    const shown = await profile(first.customerId!);
    expect(shown).toMatchObject({
      status: 'ACTIVE', erased: false,
      name: { value: 'ANA SOUZA', source: { kind: 'CHANNEL', channel: 'mercado-livre', observedAt: '2026-09-02T12:00:00.000Z' } },
      email: { value: 'ana.souza@example.com', source: { channel: 'shopify-br' } },
      phone: { value: '+5511987654321' }, cpf: { value: '52998224725' },
      address: { value: { street: 'Rua das Flores', city: 'São Paulo', state: 'SP', postalCode: '01310100', country: 'BR' }, source: { channel: 'shopify-br' } },
      channels: ['mercado-livre', 'shopify-br'],
    });
    expect(shown.identities.map((identity: { channel: string; platformCustomerId: string }) => [identity.channel, identity.platformCustomerId])).toEqual([
      ['shopify-br', 'gid://shopify/Customer/1'], ['mercado-livre', '240000013'],
    ]);
  });

  it('keeps an invalid CPF out of matching and storage, and reports it', async () => {
    const first = await identify({ channel: 'shopify-br', contact: { email: 'bia@example.com', cpf: '111.111.111-11' }, orderReference: 'S-2' });
    expect(first.rejected).toEqual([{ field: 'cpf', reason: expect.stringContaining('not a valid CPF') }]);
    const other = await identify({ channel: 'amazon-br', contact: { email: 'carla@example.com', cpf: '111.111.111-11' }, orderReference: 'A-2' });
    expect(other.customerId).not.toBe(first.customerId);
    expect((await profile(first.customerId!)).cpf).toBeNull();
  });

  it('a newer observation updates a field (address moved on one platform); an older one, or a redelivery, changes nothing', async () => {
    const { customerId } = await identify({ channel: 'shopify-br', contact: ana, orderReference: 'S-3', observedAt: '2026-09-01T12:00:00Z' });
    const moved = { ...ana, address: { street: 'Avenida Atlântica', number: '200', city: 'Rio de Janeiro', state: 'RJ', postalCode: '22010-000' } };
    expect((await identify({ channel: 'woocommerce-br', contact: moved, orderReference: 'W-3', observedAt: '2026-09-05T12:00:00Z' })).customerId).toBe(customerId);
    // A late delivery of an older order from a third channel: its address is older, ignored.
    await identify({ channel: 'amazon-br', contact: { ...ana, email: 'ana.souza@example.com' }, orderReference: 'A-3', observedAt: '2026-09-03T12:00:00Z' });
    const shown = await profile(customerId!);
    expect(shown.address).toMatchObject({ value: { city: 'Rio de Janeiro', postalCode: '22010000' }, source: { channel: 'woocommerce-br', observedAt: '2026-09-05T12:00:00.000Z' } });
    const replay = await identify({ channel: 'woocommerce-br', contact: moved, orderReference: 'W-3', observedAt: '2026-09-05T12:00:00Z' });
    expect(replay).toMatchObject({ customerId, outcome: 'REPLAYED' });
    expect(await profile(customerId!)).toEqual(shown);
  });

  it('answers null for a contact with no identifier', async () => {
    expect(await identify({ channel: 'pos-ipanema', contact: { name: 'Cliente balcão' }, orderReference: 'P-1' })).toMatchObject({ customerId: null, outcome: 'UNIDENTIFIABLE' });
    expect(await testDb.db.query('SELECT id FROM customers')).toEqual([]);
  });

  it('two replicas identifying the same new shopper at once make one profile', async () => {
    const second = await testDb.reopen();
    const replica = new CustomerProfiles({ db: second, sealer: new Sealer(parseDataKeys(KEY_A)), blindIndex: new BlindIndex(DEVELOPMENT_BLIND_INDEX_KEY), log: createLogger('test') });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        (index % 2 === 0 ? customers.profiles : replica).identify({
          channel: ['shopify-br', 'amazon-br', 'woocommerce-br'][index % 3]!, contact: { email: 'dani@example.com', phone: '21 99876-5432' }, observedAt: '2026-09-01T12:00:00Z', orderReference: `R-${index}`,
        }),
      ),
    );
    expect(new Set(results.map((result) => result.customerId)).size).toBe(1);
    expect(await testDb.db.query('SELECT id FROM customers')).toHaveLength(1);
    expect(await testDb.db.query('SELECT kind FROM customer_blind_indexes ORDER BY kind')).toEqual([{ kind: 'EMAIL' }, { kind: 'PHONE' }]);
  });

  it('two replicas merging the same two profiles at once merge them once', async () => {
    const second = await testDb.reopen();
    const replica = new CustomerProfiles({ db: second, sealer: new Sealer(parseDataKeys(KEY_A)), blindIndex: new BlindIndex(DEVELOPMENT_BLIND_INDEX_KEY), log: createLogger('test') });
    const byEmail = await identify({ channel: 'shopify-br', contact: { email: 'lia@example.com' }, orderReference: 'S-M1' });
    const byPhone = await identify({ channel: 'pos-ipanema', contact: { phone: '21 97777-1234' }, orderReference: 'P-M1' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        (index % 2 === 0 ? customers.profiles : replica).identify({ channel: 'amazon-br', contact: { email: 'lia@example.com', phone: '+5521977771234' }, observedAt: '2026-09-02T12:00:00Z', orderReference: `A-M${index}` }),
      ),
    );
    expect(new Set(results.map((result) => result.customerId))).toEqual(new Set([byEmail.customerId]));
    expect(results.flatMap((result) => result.mergedCustomerIds)).toEqual([byPhone.customerId]);
    expect(await testDb.db.query('SELECT survivor_id AS survivor, absorbed_id AS absorbed FROM customer_merges')).toEqual([{ survivor: byEmail.customerId, absorbed: byPhone.customerId }]);
  });
});

describe('merges', () => {
  it('merges two profiles one observation matches, records why, and unmerges them as they were', async () => {
    const byEmail = await identify({ channel: 'shopify-br', contact: { name: 'Eva Lima', email: 'eva@example.com', address: { city: 'Recife', state: 'PE', postalCode: '50010-000' } }, orderReference: 'S-10', observedAt: '2026-09-01T00:00:00Z' });
    const byCpf = await identify({ channel: 'pos-ipanema', contact: { name: 'Eva M. Lima', cpf: '529.982.247-25' }, orderReference: 'P-10', observedAt: '2026-09-02T00:00:00Z' });
    expect(byCpf.customerId).not.toBe(byEmail.customerId);
    const both = await identify({ channel: 'amazon-br', platformCustomerId: 'A1', contact: { email: 'EVA@example.com', cpf: '52998224725' }, orderReference: 'A-10', observedAt: '2026-09-03T00:00:00Z' });
    // CPF is the more certain identifier: the CPF's profile stays, the e-mail's is merged into it.
    expect(both).toMatchObject({ customerId: byCpf.customerId, outcome: 'MERGED', mergedCustomerIds: [byEmail.customerId] });
    const survivor = await profile(byCpf.customerId!);
    expect(survivor).toMatchObject({ name: { value: 'Eva M. Lima' }, email: { value: 'eva@example.com' }, cpf: { value: '52998224725' }, address: { value: { city: 'Recife' } }, channels: ['amazon-br', 'pos-ipanema', 'shopify-br'] });
    expect(survivor.merges).toEqual([{ id: expect.any(String), survivorId: byCpf.customerId, absorbedId: byEmail.customerId, matchedOn: ['EMAIL'], survivorMatchedOn: ['CPF'], channel: 'amazon-br', undoneAt: null }]);
    expect(await profile(byEmail.customerId!)).toMatchObject({ status: 'MERGED', mergedInto: { id: byCpf.customerId } });
    // The absorbed profile's e-mail now finds the survivor.
    expect((await execute('{ customers(search: { email: " eva@EXAMPLE.com " }) { id } }')).data!.customers).toEqual([{ id: byCpf.customerId }]);

    const undo = await execute('mutation($id: ID!) { unmergeCustomers(mergeId: $id, reason: "two people, ticket 42") { id status } }', { id: survivor.merges[0].id });
    expect(undo.errors).toBeUndefined();
    expect(undo.data!.unmergeCustomers).toEqual([{ id: byCpf.customerId, status: 'ACTIVE' }, { id: byEmail.customerId, status: 'ACTIVE' }]);
    const [restoredSurvivor, restoredAbsorbed] = [await profile(byCpf.customerId!), await profile(byEmail.customerId!)];
    // The survivor as before the merge: the e-mail and address it only had from the merge are gone.
    expect(restoredSurvivor).toMatchObject({ email: null, address: null, cpf: { value: '52998224725' }, name: { value: 'Eva M. Lima' } });
    expect(restoredAbsorbed).toMatchObject({ status: 'ACTIVE', mergedInto: null, email: { value: 'eva@example.com' }, address: { value: { city: 'Recife' } }, channels: ['shopify-br'] });
    expect((await execute('{ customers(search: { email: "eva@example.com" }) { id } }')).data!.customers).toEqual([{ id: byEmail.customerId }]);
    // Kept apart: the same observation again does not merge them.
    const again = await identify({ channel: 'amazon-br', platformCustomerId: 'A1', contact: { email: 'eva@example.com', cpf: '52998224725' }, orderReference: 'A-11', observedAt: '2026-09-04T00:00:00Z' });
    expect(again.mergedCustomerIds).toEqual([]);
    const requests = (await execute('{ dataSubjectRequests { kind customerId operator reason outcome } }')).data!.dataSubjectRequests;
    expect(requests[0]).toMatchObject({ kind: 'UNMERGE', customerId: byCpf.customerId, operator: operator.id, reason: 'two people, ticket 42', outcome: { absorbedId: byEmail.customerId, fieldsRestored: expect.arrayContaining(['email', 'address']) } });
  });

  it('announces merges and erasures in order, for the orders subgraph to follow', async () => {
    const a = await identify({ channel: 'shopify-br', contact: { email: 'f@example.com' }, orderReference: 'S-20' });
    const b = await identify({ channel: 'shopify-br', contact: { phone: '11 91234-5678' }, orderReference: 'S-21' });
    await identify({ channel: 'amazon-br', contact: { email: 'f@example.com', phone: '11 91234-5678' }, orderReference: 'A-20' });
    await execute('mutation($id: ID!) { eraseCustomer(id: $id, reason: "asked") { id } }', { id: a.customerId });
    const changes = await execute('{ customerChanges { id kind customerId otherCustomerId } }', {}, service);
    expect(changes.errors).toBeUndefined();
    expect(changes.data!.customerChanges.map((change: { kind: string; customerId: string; otherCustomerId: string | null }) => [change.kind, change.customerId, change.otherCustomerId])).toEqual([
      ['CUSTOMERS_MERGED', a.customerId, b.customerId], ['CUSTOMER_ERASED', a.customerId, null], ['CUSTOMER_ERASED', b.customerId, null],
    ]);
    const after = await execute('query($after: ID) { customerChanges(after: $after) { kind } }', { after: changes.data!.customerChanges[1].id }, service);
    expect(after.data!.customerChanges).toEqual([{ kind: 'CUSTOMER_ERASED' }]);
  });
});

describe('at rest', () => {
  it('holds no personal value in clear: every table is sealed or keyed digests', async () => {
    await identify({ channel: 'shopify-br', platformCustomerId: 'gid://shopify/Customer/987', contact: ana, orderReference: 'S-30' });
    await identify({ channel: 'amazon-br', contact: { email: 'ana.souza@example.com', phone: '+5511912345678' }, orderReference: 'A-30' });
    const text = await tableText();
    for (const plain of ['Ana', 'Souza', 'souza@example', '52998224725', '529.982', '98765', '4321', '912345678', 'Flores', '01310', 'São Paulo', 'Customer/987']) {
      expect(text, plain).not.toContain(plain);
    }
    const [row] = await testDb.db.query<{ email_sealed: string }>('SELECT email_sealed FROM customers');
    expect(row!.email_sealed).toMatch(/^ka:/);
  });

  it('finds a profile only through the blind index, by exact normalised value', async () => {
    const { customerId } = await identify({ channel: 'shopify-br', contact: { ...ana, email: 'ana.souza+loja@gmail.com' }, orderReference: 'S-31' });
    for (const search of [{ email: 'AnaSouza@gmail.com' }, { cpf: '52998224725' }, { cpf: '529.982.247-25' }, { phone: '+55 (11) 98765-4321' }]) {
      const found = await execute('query($search: CustomerSearch!) { customers(search: $search) { id email { value } } }', { search });
      expect(found.data!.customers, JSON.stringify(search)).toEqual([{ id: customerId, email: { value: 'ana.souza+loja@gmail.com' } }]);
    }
    expect((await execute('{ customers(search: { email: "ana.souza@example.com" }) { id } }')).data!.customers).toEqual([]);
    expect((await execute('{ customers(search: { cpf: "123" }) { id } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await execute('{ customers(search: { cpf: "52998224725", email: "a@example.com" }) { id } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Without the key, the digests cannot be recomputed: another key finds nothing.
    const stranger = new CustomerProfiles({ db: testDb.db, sealer: new Sealer(parseDataKeys(KEY_A)), blindIndex: new BlindIndex('another-key-of-at-least-32-characters!!'), log: createLogger('test') });
    expect(await stranger.search({ cpf: '52998224725' })).toEqual([]);
  });

  it('rotates the data key: a start with a new first key re-seals everything, the old key can then go', async () => {
    const first = await identify({ channel: 'shopify-br', platformCustomerId: 'C-1', contact: { email: 'g@example.com', name: 'Gil' }, orderReference: 'S-40' });
    await identify({ channel: 'shopify-br', contact: { phone: '11 93333-4444', name: 'Gil B' }, orderReference: 'S-41' });
    await identify({ channel: 'amazon-br', contact: { email: 'g@example.com', phone: '11 93333-4444' }, orderReference: 'A-40' });
    const rotated = await start(`${KEY_B},${KEY_A}`);
    try {
      const text = await tableText();
      expect(text).not.toMatch(/"ka:/);
      expect(text).toMatch(/"kb:/);
      const onlyNew = await start(KEY_B);
      try {
        const shown = (await execute(PROFILE, { id: first.customerId }, operator, onlyNew)).data!.customer;
        expect(shown).toMatchObject({ email: { value: 'g@example.com' }, identities: expect.arrayContaining([expect.objectContaining({ platformCustomerId: 'C-1' })]) });
        // The merge's snapshot was re-sealed too: the merge can still be undone.
        const undo = await execute('mutation($id: ID!) { unmergeCustomers(mergeId: $id, reason: "check") { id } }', { id: shown.merges[0].id }, operator, onlyNew);
        expect(undo.errors).toBeUndefined();
      } finally {
        await onlyNew.server.apollo.stop();
      }
    } finally {
      await rotated.server.apollo.stop();
    }
  });

  it('a new blind-index key makes the digests again on start', async () => {
    const { customerId } = await identify({ channel: 'shopify-br', platformCustomerId: 'C-9', contact: { email: 'h@example.com', cpf: '52998224725' }, orderReference: 'S-50' });
    const newKey = 'a-new-blind-index-key-of-32-characters-at-least';
    const restarted = await start(KEY_A, newKey);
    try {
      expect((await execute('{ customers(search: { cpf: "529.982.247-25" }) { id } }', {}, operator, restarted)).data!.customers).toEqual([{ id: customerId }]);
      expect((await restarted.profiles.identify({ channel: 'shopify-br', platformCustomerId: 'C-9', contact: {}, observedAt: '2026-09-09T00:00:00Z', orderReference: 'S-51' })).customerId).toBe(customerId);
    } finally {
      await restarted.server.apollo.stop();
    }
    // Back to the first key for the other tests.
    await (await start()).server.apollo.stop();
  });

  it('production mode refuses a missing or published blind-index key', () => {
    expect(() => blindIndexFromEnv({ NODE_ENV: 'production' })).toThrow(/PONTE_BLIND_INDEX_KEY must be set/);
    expect(() => blindIndexFromEnv({ NODE_ENV: 'production', PONTE_BLIND_INDEX_KEY: DEVELOPMENT_BLIND_INDEX_KEY })).toThrow(/published/);
    expect(() => blindIndexFromEnv({ NODE_ENV: 'production', PONTE_BLIND_INDEX_KEY: 'short' })).toThrow(/at least 32/);
    expect(blindIndexFromEnv({}).digest('EMAIL', 'a@example.com')).toBe(new BlindIndex(DEVELOPMENT_BLIND_INDEX_KEY).digest('EMAIL', 'a@example.com'));
  });
});

describe('data-subject requests (LGPD)', () => {
  it('exports everything held, as JSON, and records the request without personal data', async () => {
    const { customerId } = await identify({ channel: 'shopify-br', platformCustomerId: 'gid://shopify/Customer/5', contact: ana, orderReference: 'S-60' });
    await identify({ channel: 'mercado-livre', contact: { cpf: '52998224725' }, orderReference: 'M-60' });
    const result = await execute('mutation($id: ID!) { exportCustomerData(id: $id, reason: "titular pediu, ana.souza@example.com") { request { id kind customerId operator reason outcome } data } }', { id: customerId });
    expect(result.errors).toBeUndefined();
    const { request, data } = result.data!.exportCustomerData;
    expect(request).toMatchObject({ kind: 'ACCESS', customerId, operator: operator.id, reason: 'titular pediu, [redacted]', outcome: { profiles: 1, identities: 2, orders: 2 } });
    expect(data).toMatchObject({
      customerId,
      profiles: [{ id: customerId, email: { value: 'ana.souza@example.com', source: { kind: 'CHANNEL', channel: 'shopify-br' } }, cpf: { value: '52998224725' } }],
      identities: [{ channel: 'shopify-br', platformCustomerId: 'gid://shopify/Customer/5' }, { channel: 'mercado-livre', platformCustomerId: null }],
      orders: [expect.objectContaining({ channel: 'shopify-br', orderReference: 'S-60' }), expect.objectContaining({ channel: 'mercado-livre', orderReference: 'M-60' })],
    });
    const records = JSON.stringify(await testDb.db.query('SELECT * FROM data_subject_requests'));
    expect(records).not.toMatch(/ana|souza|529982/i);
  });

  it('corrects fields as the operator, which stand until a channel reports a later change', async () => {
    const { customerId } = await identify({ channel: 'shopify-br', contact: ana, orderReference: 'S-70', observedAt: '2026-09-01T00:00:00Z' });
    const corrected = await execute('mutation($id: ID!) { correctCustomer(id: $id, fields: { email: "ana@example.org", name: "Ana S. Souza" }, reason: "typo") { email { value source { kind operator } } name { value } } }', { id: customerId });
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data!.correctCustomer).toEqual({ email: { value: 'ana@example.org', source: { kind: 'OPERATOR', operator: operator.id } }, name: { value: 'Ana S. Souza' } });
    // The wrong e-mail no longer finds her; the corrected one does.
    expect((await execute('{ customers(search: { email: "ana.souza@example.com" }) { id } }')).data!.customers).toEqual([]);
    expect((await execute('{ customers(search: { email: "ana@example.org" }) { id } }')).data!.customers).toEqual([{ id: customerId }]);
    // An order observed before the correction does not undo it; one observed after does.
    await identify({ channel: 'amazon-br', contact: { cpf: ana.cpf, name: 'Old Name' }, orderReference: 'A-70', observedAt: '2026-09-02T00:00:00Z' });
    expect((await profile(customerId!)).name.value).toBe('Ana S. Souza');
    await identify({ channel: 'amazon-br', contact: { cpf: ana.cpf, name: 'Ana Nova' }, orderReference: 'A-71', observedAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await profile(customerId!)).name).toMatchObject({ value: 'Ana Nova', source: { kind: 'CHANNEL', channel: 'amazon-br' } });
    const invalid = await execute('mutation($id: ID!) { correctCustomer(id: $id, fields: { cpf: "123.456.789-00" }, reason: "x") { id } }', { id: customerId });
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const [record] = (await execute('{ dataSubjectRequests(first: 1) { kind outcome } }')).data!.dataSubjectRequests;
    expect(record).toEqual({ kind: 'CORRECTION', outcome: { fields: ['name', 'email'] } });
  });

  it('erases: fields, blind indexes and platform ids destroyed; a tombstone stays; a later order makes a new profile, a redelivery none', async () => {
    const first = await identify({ channel: 'shopify-br', platformCustomerId: 'gid://shopify/Customer/8', contact: ana, orderReference: 'S-80' });
    const other = await identify({ channel: 'amazon-br', contact: { phone: '11 95555-1111' }, orderReference: 'A-80' });
    await identify({ channel: 'amazon-br', contact: { email: ana.email, phone: '11 95555-1111' }, orderReference: 'A-81' });
    const erased = await execute('mutation($id: ID!) { eraseCustomer(id: $id, reason: "art. 18 VI") { kind customerId outcome } }', { id: other.customerId });
    expect(erased.errors).toBeUndefined();
    expect(erased.data!.eraseCustomer).toMatchObject({
      kind: 'ERASURE', customerId: first.customerId,
      outcome: { profilesErased: expect.arrayContaining([first.customerId, other.customerId]), blindIndexesDestroyed: 5, platformCustomerIdsDestroyed: 1, ordersUnlinked: 3 },
    });
    const tombstone = await profile(first.customerId!);
    expect(tombstone).toMatchObject({ id: first.customerId, status: 'ERASED', erased: true, name: null, email: null, phone: null, cpf: null, address: null });
    expect(tombstone.identities.every((identity: { platformCustomerId: string | null }) => identity.platformCustomerId === null)).toBe(true);
    expect(await testDb.db.query('SELECT * FROM customer_blind_indexes')).toEqual([]);
    const [sealedLeft] = await testDb.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM customers WHERE concat(name_sealed, email_sealed, phone_sealed, cpf_sealed, address_sealed) <> ''`);
    expect(sealedLeft!.count).toBe(0);
    expect(await testDb.db.query(`SELECT id FROM customer_merges WHERE survivor_before_sealed IS NOT NULL OR moved_indexes <> '[]'::jsonb`)).toEqual([]);
    // A redelivery of an order identified before: nothing comes back.
    expect(await identify({ channel: 'shopify-br', platformCustomerId: 'gid://shopify/Customer/8', contact: ana, orderReference: 'S-80' })).toMatchObject({ customerId: null, outcome: 'ERASED' });
    // A new order: a new profile from what this order carries, nothing of the erased one.
    const fresh = await identify({ channel: 'shopify-br', platformCustomerId: 'gid://shopify/Customer/8', contact: { email: ana.email }, orderReference: 'S-81' });
    expect(fresh).toMatchObject({ outcome: 'CREATED' });
    expect(fresh.customerId).not.toBe(first.customerId);
    expect(await profile(fresh.customerId!)).toMatchObject({ email: { value: 'ana.souza@example.com' }, cpf: null, phone: null });
    const again = await execute('mutation($id: ID!) { eraseCustomer(id: $id, reason: "again") { id } }', { id: first.customerId });
    expect(again.errors?.[0]?.extensions?.code).toBe('CUSTOMER_NOT_ACTIVE');
  });
});

describe('demo shoppers', () => {
  it('seed through identification: one profile per demo person, under the demo ids, spanning their channels; a second seed changes nothing', async () => {
    await seedDemoCustomers(customers.profiles);
    const rows = await testDb.db.query<{ id: string; status: string }>('SELECT id, status FROM customers ORDER BY id');
    expect(rows).toEqual(demoCustomers.map((customer) => ({ id: customer.id, status: 'ACTIVE' })));
    const moved = demoCustomers[0]!;
    const shown = await profile(moved.id);
    expect(shown.channels).toEqual([...moved.channels].sort());
    expect(shown).toMatchObject({ email: { value: moved.contact.email }, cpf: { value: moved.contact.cpf }, phone: { value: moved.contact.phone }, address: { value: { city: moved.contact.address.city } } });
    const before = await tableText();
    await seedDemoCustomers(customers.profiles, { replay: true });
    expect(await tableText()).toBe(before);
  }, 120_000);
});

describe('who may', () => {
  it('refuses profiles to storefront, internal, partner and service callers, and data-subject requests to services; nothing changes', async () => {
    const { customerId } = await identify({ channel: 'shopify-br', contact: ana, orderReference: 'S-90' });
    const before = await tableText();
    for (const caller of [storefront, internal, partner, service]) {
      expect((await execute('query($id: ID!) { customer(id: $id) { id } }', { id: customerId }, caller)).errors?.[0]?.extensions?.code, caller.id).toBe('FORBIDDEN');
      expect((await execute('{ customers(search: { cpf: "52998224725" }) { id } }', {}, caller)).errors?.[0]?.extensions?.code, caller.id).toBe('FORBIDDEN');
      expect((await execute('{ dataSubjectRequests { id } }', {}, caller)).errors?.[0]?.extensions?.code, caller.id).toBe('FORBIDDEN');
      expect((await execute('mutation($id: ID!) { exportCustomerData(id: $id) { data } }', { id: customerId }, caller)).errors?.[0]?.extensions?.code, caller.id).toBe('FORBIDDEN');
      for (const mutation of [
        'mutation($id: ID!) { eraseCustomer(id: $id, reason: "x") { id } }',
        'mutation($id: ID!) { correctCustomer(id: $id, fields: { name: "X" }, reason: "x") { id } }',
      ]) expect((await execute(mutation, { id: customerId }, caller)).errors?.[0]?.extensions?.code, `${caller.id} ${mutation}`).toBe('FORBIDDEN');
    }
    for (const caller of [storefront, internal, partner]) {
      const refused = await execute(IDENTIFY, { input: { channel: 'shopify-br', contact: { email: 'new@example.com' }, observedAt: '2026-09-01T00:00:00Z', orderReference: 'S-91' } }, caller);
      expect(refused.errors?.[0]?.extensions?.code, caller.id).toBe('FORBIDDEN');
    }
    expect((await execute(IDENTIFY, { input: { channel: 'shopify-br', contact: { email: 'new@example.com' }, observedAt: '2026-09-01T00:00:00Z', orderReference: 'S-91' } }, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // A service reaching `_entities` directly sees the link, never the person.
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id erased email { value } } } }`;
    const asService = await execute(entities, { r: [{ __typename: 'Customer', id: customerId }] }, service);
    expect(asService.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(asService.data?._entities?.[0]?.email ?? null).toBeNull();
    expect(await tableText()).toBe(before);
    // A service held to its own channels identifies only their shoppers.
    const shopifyOnly = servicePrincipal('shopify', { channels: ['shopify-br'] });
    expect((await execute(IDENTIFY, { input: { channel: 'amazon-br', contact: { email: 'x@example.com' }, observedAt: '2026-09-01T00:00:00Z', orderReference: 'A-92' } }, shopifyOnly)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await tableText()).toBe(before);
  });

  it('resolves Customer references in one statement; an orders reader sees the id and erased status only', async () => {
    let statements = 0;
    const counted = await createTestDatabase('customers_refs', { onQuery: () => statements++ });
    const subgraph = await createCustomersSubgraph({ database: counted.db, log: createLogger('test'), sealer: new Sealer(parseDataKeys(KEY_A)), blindIndex: new BlindIndex(DEVELOPMENT_BLIND_INDEX_KEY) });
    try {
      const a = await subgraph.profiles.identify({ channel: 'shopify-br', contact: { email: 'i@example.com' }, observedAt: '2026-09-01T00:00:00Z', orderReference: 'S-95' });
      const b = await subgraph.profiles.identify({ channel: 'shopify-br', contact: { email: 'j@example.com' }, observedAt: '2026-09-01T00:00:00Z', orderReference: 'S-96' });
      statements = 0;
      const result = await execute(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id status erased } } }`,
        { r: [{ __typename: 'Customer', id: a.customerId }, { __typename: 'Customer', id: b.customerId }, { __typename: 'Customer', id: 'cus_unknown' }] },
        internal,
        subgraph,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities).toEqual([{ id: a.customerId, status: 'ACTIVE', erased: false }, { id: b.customerId, status: 'ACTIVE', erased: false }, null]);
      expect(statements).toBe(1);
    } finally {
      await subgraph.server.apollo.stop();
      await counted.drop();
    }
  });
});
