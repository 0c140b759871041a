import { describe, expect, it } from 'vitest';
import { createInvalidationLog } from './invalidation-log.ts';
import { walkAnswer } from './use-entity-cache.ts';

describe('the invalidation log', () => {
  it('refuses to store a read only when something it shows changed while it was read', () => {
    const log = createInvalidationLog();
    const since = log.now();
    log.record([{ typename: 'Product', id: 'A' }, { typename: 'StockMovement' }]);
    expect(log.changedSince(since, [{ typename: 'Product', id: 'A' }])).toBe(true);
    // Another SKU's change has no bearing on a page that does not show it.
    expect(log.changedSince(since, [{ typename: 'Product', id: 'B' }])).toBe(false);
    // A bare type changed: every entity of it counts as changed, and so does the bare type.
    expect(log.changedSince(since, [{ typename: 'StockMovement', id: 7 }])).toBe(true);
    expect(log.changedSince(since, [{ typename: 'StockMovement' }])).toBe(true);
    // A read that began after the change may be stored.
    expect(log.changedSince(log.now(), [{ typename: 'Product', id: 'A' }])).toBe(false);
  });

  it('counts everything as changed after the feed was lost, and what it no longer remembers', () => {
    const log = createInvalidationLog(2);
    const since = log.now();
    log.recordEverything();
    expect(log.changedSince(since, [{ typename: 'Location', id: 'loja-rio' }])).toBe(true);
    const later = log.now();
    log.record([{ typename: 'Product', id: 'A' }]);
    log.record([{ typename: 'Product', id: 'B' }]);
    log.record([{ typename: 'Product', id: 'C' }]);
    // A was evicted: it may have changed after `later`, so nothing read since then is trusted.
    expect(log.changedSince(later, [{ typename: 'Product', id: 'Z' }])).toBe(true);
  });
});

describe("the entity cache's walk of a subgraph answer", () => {
  it('strips its aliases, records each entity and the type of each null or empty field', () => {
    const answer = {
      __ponteEntityType: 'Product',
      __ponteEntityId: 'CAM-BASICA-M',
      sku: 'CAM-BASICA-M',
      shopifyListing: null,
      stockLevels: [{ __ponteEntityType: 'StockLevel', __ponteEntityId: 'CAM-BASICA-M', onHand: 3, location: { __ponteEntityType: 'Location', __ponteEntityId: 'loja-rio', id: 'loja-rio' } }],
    };
    const walked = walkAnswer(answer, new Map([['Product.shopifyListing', ['ShopifyListing']]]));
    expect(walked.data).toEqual({ sku: 'CAM-BASICA-M', shopifyListing: null, stockLevels: [{ onHand: 3, location: { id: 'loja-rio' } }] });
    expect(walked.entities).toEqual(
      expect.arrayContaining([
        { typename: 'StockLevel', id: 'CAM-BASICA-M' },
        { typename: 'Location', id: 'loja-rio' },
        { typename: 'Product', id: 'CAM-BASICA-M' },
        { typename: 'ShopifyListing' },
      ]),
    );
    expect(walked.entities).toHaveLength(4);
    expect(walked.objects).toBe(3);
    // The answer itself is left as it was.
    expect(answer.__ponteEntityType).toBe('Product');
  });
});
