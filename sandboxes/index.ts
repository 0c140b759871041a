/**
 * Every platform sandbox, for `npm start` and end-to-end tests. Each factory builds a server
 * (nothing listens until `listen(port)`); `startSandboxes` starts all four at once.
 */
import { createAmazonSandbox } from './amazon/amazon-sandbox.ts';
import type { AmazonSandbox, AmazonSandboxOptions } from './amazon/amazon-sandbox.ts';
import { createMercadoLivreSandbox } from './mercadolivre/mercadolivre-sandbox.ts';
import type { MercadoLivreSandbox, MercadoLivreSandboxOptions } from './mercadolivre/mercadolivre-sandbox.ts';
import { createShopifySandbox } from './shopify/shopify-sandbox.ts';
import type { ShopifySandbox, ShopifySandboxOptions } from './shopify/shopify-sandbox.ts';
import { createWooCommerceSandbox } from './woocommerce/woocommerce-sandbox.ts';
import type { WooCommerceSandbox, WooCommerceSandboxOptions } from './woocommerce/woocommerce-sandbox.ts';

export { createAmazonSandbox, createMercadoLivreSandbox, createShopifySandbox, createWooCommerceSandbox };
export type { AmazonSandbox, AmazonSandboxOptions, MercadoLivreSandbox, MercadoLivreSandboxOptions, ShopifySandbox, ShopifySandboxOptions, WooCommerceSandbox, WooCommerceSandboxOptions };
export { SandboxControlClient } from './common/control-client.ts';
export { startWebhookReceiver } from './common/webhook-receiver.ts';
export type { WebhookReceiver } from './common/webhook-receiver.ts';

/** The ports `npm start` uses unless told otherwise. */
export const DEFAULT_SANDBOX_PORTS = { shopify: 4101, woocommerce: 4102, mercadolivre: 4103, amazon: 4104 } as const;

export interface StartSandboxesOptions {
  /** Port per sandbox; 0 picks a free one (tests). @default DEFAULT_SANDBOX_PORTS */
  ports?: Partial<Record<keyof typeof DEFAULT_SANDBOX_PORTS, number>>;
  host?: string;
  /** Order ids that never repeat an earlier run's (each sandbox's `uniqueOrderIds`). @default false */
  uniqueOrderIds?: boolean;
  shopify?: ShopifySandboxOptions;
  woocommerce?: WooCommerceSandboxOptions;
  mercadolivre?: MercadoLivreSandboxOptions;
  amazon?: AmazonSandboxOptions;
}

export interface RunningSandboxes {
  shopify: ShopifySandbox;
  woocommerce: WooCommerceSandbox;
  mercadolivre: MercadoLivreSandbox;
  amazon: AmazonSandbox;
  urls: Record<keyof typeof DEFAULT_SANDBOX_PORTS, string>;
  close(): Promise<void>;
}

export async function startSandboxes(options: StartSandboxesOptions = {}): Promise<RunningSandboxes> {
  const ports = { ...DEFAULT_SANDBOX_PORTS, ...options.ports };
  const unique = options.uniqueOrderIds ? { uniqueOrderIds: true } : {};
  const shopify = createShopifySandbox({ ...unique, ...options.shopify });
  const woocommerce = createWooCommerceSandbox({ ...unique, ...options.woocommerce });
  const mercadolivre = createMercadoLivreSandbox({ ...unique, ...options.mercadolivre });
  const amazon = createAmazonSandbox(options.amazon);
  const all = [shopify, woocommerce, mercadolivre, amazon];
  try {
    const [shopifyUrl, woocommerceUrl, mercadolivreUrl, amazonUrl] = await Promise.all([
      shopify.listen(ports.shopify, options.host),
      woocommerce.listen(ports.woocommerce, options.host),
      mercadolivre.listen(ports.mercadolivre, options.host),
      amazon.listen(ports.amazon, options.host),
    ]);
    return {
      shopify,
      woocommerce,
      mercadolivre,
      amazon,
      urls: { shopify: shopifyUrl, woocommerce: woocommerceUrl, mercadolivre: mercadolivreUrl, amazon: amazonUrl },
      close: async () => {
        await Promise.all(all.map((sandbox) => sandbox.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(all.map((sandbox) => sandbox.close()));
    throw error;
  }
}
