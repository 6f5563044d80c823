export { KeygateClient, type KeygateClientOptions, type RateLimitHeaders } from './client';
export * from './errors';
export * from './types';
export { loopbackLookup } from './transport';
