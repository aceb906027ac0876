// The toolkit's version and the k6 version it pins, in one place.

export const TOOL_VERSION = '0.1.0';

/** The k6 release this toolkit is built and tested against. */
export const K6_VERSION = 'v2.2.0';
/** Go module that builds it. */
export const K6_MODULE = 'go.k6.io/k6/v2';
/** Tried only when the pinned version can't be fetched: the last release of the v1 line. */
export const K6_FALLBACK = { module: 'go.k6.io/k6', version: 'v1.8.1' } as const;
