import type { ApiKeyResolvers } from '../generated/resolvers-types.ts';
import { isActive } from '../keys.ts';

export const ApiKey: ApiKeyResolvers = {
  active: (key) => isActive(key),
};
