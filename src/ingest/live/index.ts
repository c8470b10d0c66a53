/** Reading a live PostgreSQL database, read-only: connection, catalog, statistics, workload, collection. */
export * from './settings.js';
export * from './conninfo.js';
export * from './passfile.js';
export * from './errors.js';
export * from './connect.js';
export * from './catalog.js';
export * from './compare.js';
export * from './stats.js';
export * from './collect.js';
export * from './redact.js';
