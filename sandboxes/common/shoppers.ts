/**
 * Who places the sandboxes' orders: made-up Brazilian shoppers (no real person; e-mails on the
 * reserved example.com domain, RFC 2606), each with a delivery address whose CEP is real enough to
 * route by. A sandbox picks one per order by its number, or takes the one a test names, and shows
 * it the way its platform does (Shopify's `customer` and `shipping_address`, WooCommerce's
 * `billing` and `shipping`, Mercado Livre's `buyer` and shipment `receiver_address`, Amazon's
 * `buyer` and `recipient.deliveryAddress`).
 */
export interface SandboxShopper {
  firstName: string;
  lastName: string;
  email: string;
  /** E.164. */
  phone: string;
  /** 11 digits, with valid check digits (made up). */
  cpf: string;
  address: { street: string; number: string; district: string; city: string; state: string; postalCode: string };
}

export const SANDBOX_SHOPPERS: readonly SandboxShopper[] = [
  { firstName: 'Maria', lastName: 'Silva', email: 'maria.silva@example.com', phone: '+5511987650001', cpf: '52998224725', address: { street: 'Avenida Paulista', number: '1000', district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' } },
  { firstName: 'João', lastName: 'Santos', email: 'joao.santos@example.com', phone: '+5521987650002', cpf: '11144477735', address: { street: 'Rua Visconde de Pirajá', number: '330', district: 'Ipanema', city: 'Rio de Janeiro', state: 'RJ', postalCode: '22410-003' } },
  { firstName: 'Ana', lastName: 'Oliveira', email: 'ana.oliveira@example.com', phone: '+5531987650003', cpf: '39053344705', address: { street: 'Avenida Afonso Pena', number: '1500', district: 'Centro', city: 'Belo Horizonte', state: 'MG', postalCode: '30130-005' } },
  { firstName: 'Pedro', lastName: 'Souza', email: 'pedro.souza@example.com', phone: '+5571987650004', cpf: '86288366757', address: { street: 'Avenida Sete de Setembro', number: '200', district: 'Centro', city: 'Salvador', state: 'BA', postalCode: '40060-001' } },
  { firstName: 'Juliana', lastName: 'Costa', email: 'juliana.costa@example.com', phone: '+5551987650005', cpf: '71428793860', address: { street: 'Rua dos Andradas', number: '1234', district: 'Centro Histórico', city: 'Porto Alegre', state: 'RS', postalCode: '90020-008' } },
];

/** The shopper of a sandbox's n-th order: the same one every run. */
export function shopperFor(sequence: number): SandboxShopper {
  return SANDBOX_SHOPPERS[Math.abs(sequence) % SANDBOX_SHOPPERS.length]!;
}

/**
 * Who places an order the control API asks for: the shopper it names (an index), else the n-th
 * order's, with the e-mail and phone as given at this checkout when it gives them.
 */
export function orderShopper(input: { shopper?: number | undefined; email?: string | undefined; phone?: string | undefined }, sequence: number): SandboxShopper {
  const shopper = input.shopper !== undefined ? SANDBOX_SHOPPERS[input.shopper % SANDBOX_SHOPPERS.length]! : shopperFor(sequence);
  return { ...shopper, ...(input.email !== undefined ? { email: input.email } : {}), ...(input.phone !== undefined ? { phone: input.phone } : {}) };
}
