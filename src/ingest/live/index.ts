/** Reading a live PostgreSQL database, read-only: connection, catalog, statistics, workload, collection. */
export * from './connect.js';
export * from './catalog.js';
export * from './compare.js';
export * from './stats.js';
export * from './collect.js';
export * from './redact.js';
