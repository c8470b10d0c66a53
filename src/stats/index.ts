/**
 * Table and column statistics: read from a pg_stats / pg_class export,
 * measured on the data in a dump or CSV files, or estimated from the schema.
 */
export * from './model.js';
export { readStatsFiles } from './export.js';
export { statsFromData, type DataStatsOptions } from './data.js';
export { estimateStats, LARGE_ROWS } from './estimate.js';
export { mergeStats } from './merge.js';
export { parseArrayText, ArrayTextError } from './pgarray.js';
export { HyperLogLog, ColumnCounter, ExactBudget, heldBytes, MAX_HEAVY_VALUE } from './sketch.js';
