/**
 * mulberry32: a seeded PRNG, small, fast and good enough to make believable data reproducibly (the
 * demo's orders, the benches' catalogues and traffic). Not for anything secret: that is
 * `node:crypto`'s. A dependency for these eight lines would cost more than it saves.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
