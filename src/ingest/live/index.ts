/** Reading a live PostgreSQL database, read-only: connection, catalog, statistics, workload, collection. */
export * from './settings.js';
export * from './conninfo.js';
export * from './passfile.js';
export * from './errors.js';
export * from './connect.js';
export * from './catalog.js';
export type { Queryable } from './catalog-queries.js';
export { liveLocation } from './catalog-objects.js';
export { normaliseExpression } from './catalog-text.js';
export * from './compare.js';
export * from './stats.js';
export * from './collect.js';
export * from './redact.js';
