import { describe, expect, it } from 'vitest';
import { walkResult, type SchemaInfo } from './use-stock-aware-response-cache.ts';

const schema: SchemaInfo = {
  returnTypes: new Map([
    ['Product.stockLevels', ['StockLevel']],
    ['StockLevel.product', ['Product']],
    ['Product.shopifyListing', ['ShopifyListing']],
  ]),
  idFieldByType: new Map([
    ['Product', 'sku'],
    ['StockLevel', 'sku'],
  ]),
};

describe("the response cache's result walk", () => {
  it('strips the metadata fields and records each entity, and the type of each null field', () => {
    const data = {
      product: {
        __responseCacheTypeName: 'Product',
        __responseCacheId: 'CAM-BASICA-M',
        sku: 'CAM-BASICA-M',
        shopifyListing: null,
        stockLevels: [{ __responseCacheTypeName: 'StockLevel', sku: 'CAM-BASICA-M', onHand: 3 }],
      },
    };
    const walked = walkResult(data, schema, { ShopifyListing: 5000 });
    expect(walked.data).toEqual({ product: { sku: 'CAM-BASICA-M', shopifyListing: null, stockLevels: [{ sku: 'CAM-BASICA-M', onHand: 3 }] } });
    expect(walked.entities).toEqual(
      expect.arrayContaining([
        { typename: 'Product', id: 'CAM-BASICA-M' },
        { typename: 'StockLevel', id: 'CAM-BASICA-M' },
        { typename: 'ShopifyListing' },
      ]),
    );
    expect(walked.entities).toHaveLength(3);
    expect(walked.objects).toBe(3);
    // The input is left as it was: the executor's result may be shared.
    expect(data.product.__responseCacheTypeName).toBe('Product');
  });

  it('walks each list once, however deep the lists nest', () => {
    // 200 levels of `stockLevels { product { stockLevels … } } }`: a walk that visits every list
    // twice (as @envelop/response-cache 9.3.1 does) would take 2^200 steps and never finish.
    let node: Record<string, unknown> = { __responseCacheTypeName: 'Product', sku: 'LEAF' };
    for (let level = 0; level < 200; level++) {
      node = { __responseCacheTypeName: 'Product', sku: `SKU-${level}`, stockLevels: [{ __responseCacheTypeName: 'StockLevel', sku: `SKU-${level}`, product: node }] };
    }
    const walked = walkResult({ product: node }, schema, {});
    // The root, 201 products and 200 stock levels.
    expect(walked.objects).toBe(402);
    expect(walked.entities.filter((entity) => entity.typename === 'Product')).toHaveLength(201);
  });
});
