/**
 * Mercado Livre's JSON, as far as Ponte reads it (field names are the platform's). Everything
 * not listed here is ignored; optional fields are ones Mercado Livre leaves out in some answers.
 */

export interface MlAttribute {
  id: string;
  name?: string | null;
  value_id?: string | null;
  value_name: string | null;
}

export interface MlVariation {
  id: number;
  price: number;
  available_quantity: number;
  sold_quantity?: number;
  attribute_combinations?: MlAttribute[];
  /** Where the variation's SELLER_SKU lives; only sent with `include_attributes=all`. */
  attributes?: MlAttribute[];
  seller_custom_field?: string | null;
}

export interface MlItem {
  id: string;
  title: string;
  price: number;
  currency_id: string;
  available_quantity: number;
  sold_quantity?: number;
  status: string;
  sub_status?: string[];
  category_id?: string | null;
  listing_type_id?: string | null;
  condition?: string | null;
  permalink: string;
  attributes?: MlAttribute[];
  variations?: MlVariation[];
  seller_custom_field?: string | null;
  last_updated?: string | null;
}

/**
 * A `PUT /items/{id}` body, as far as Ponte writes one. `available_quantity` only on an item
 * without variations; `variations` replaces the whole list (one left out is deleted).
 */
export interface MlItemUpdate {
  available_quantity?: number;
  variations?: Array<{ id: number; available_quantity: number }>;
}

/** One entry of a multiget (`GET /items?ids=`): each id answers with its own status. */
export interface MlMultigetEntry {
  code: number;
  body: MlItem | { message?: string; error?: string };
}

export interface MlOrderItem {
  item: { id: string; variation_id: number | null; seller_sku?: string | null; title?: string };
  quantity: number;
  /** What the buyer paid for one unit (after the seller's discount). */
  unit_price: number;
  /** The unit's price before discounts. */
  full_unit_price?: number | null;
  currency_id?: string;
}

export interface MlOrder {
  id: number | string;
  status: string;
  date_created?: string;
  /** When the order was paid for (closed): the order search sorts by it. */
  date_closed?: string | null;
  last_updated?: string;
  /** When the order last changed, as `GET /orders/search` gives it with each result. */
  date_last_updated?: string;
  currency_id?: string;
  /** The items' total, without shipping (https://developers.mercadolivre.com.br/en_us/manage-sales). */
  total_amount?: number | null;
  buyer?: { id?: number | string | null; nickname?: string | null; first_name?: string | null; last_name?: string | null; email?: string | null } | null;
  shipping?: { id?: number | string | null } | null;
  /** true once delivered (Mercado Livre keeps shipping detail in /shipments). */
  fulfilled?: boolean | null;
  tags?: string[];
  order_items: MlOrderItem[];
}

/** A page of `GET /orders/search`: whole orders, and where the page is among all that matched. */
export interface MlOrderSearch {
  results: MlOrder[];
  paging: { total: number; offset: number; limit: number };
}

/**
 * An address on a shipment, as far as Ponte reads it: the CEP. `zip_code` is digits (`02554123`);
 * for Chile, Ecuador and Peru Mercado Livre gives none.
 */
export interface MlShipmentAddress {
  zip_code?: string | null;
}

/**
 * `GET /shipments/{id}`, the fields Ponte reads: where it goes. With the `x-format-new: true` header
 * (which Mercado Livre requires for the current JSON) the buyer's address is
 * `destination.shipping_address`; the older JSON had it as `receiver_address`, its equivalent.
 * https://developers.mercadolivre.com.br/pt_br/gerenciamento-de-envios ,
 * https://developers.mercadolibre.com.ar/devsite/manage-shipments
 */
export interface MlShipmentDetail {
  id: number | string;
  status?: string;
  destination?: { receiver_id?: number | string | null; shipping_address?: MlShipmentAddress | null } | null;
  receiver_address?: MlShipmentAddress | null;
}

export interface MlItemSearch {
  results: string[];
  /** `offset` only in offset paging; a scan page has none. */
  paging: { total: number; offset?: number; limit: number };
  /** With `search_type=scan`: pass it back to get the next page. */
  scroll_id?: string;
}

/** A notification as Mercado Livre POSTs it: it says what changed, never how. */
export interface MlNotification {
  _id?: string;
  resource: string;
  user_id: number | string;
  topic: string;
  application_id: number | string;
  attempts?: number;
  sent?: string;
  received?: string;
}

/** `GET /applications/{id}`: the fields Ponte reads. */
export interface MlApplication {
  id: number | string;
  notifications_callback_url?: string | null;
  /** The topics the application receives now; one Mercado Livre disabled is absent. */
  notifications_topics?: string[];
}
