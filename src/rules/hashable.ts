/**
 * Built-in types without a default hash operator class: Citus refuses them
 * as distribution columns (citus-rules §3). The test asks PostgreSQL itself.
 */
export const NOT_HASHABLE: readonly string[] = [
  'box', 'circle', 'json', 'line', 'lseg', 'money', 'path', 'point', 'polygon', 'tsquery', 'tsvector', 'xml',
];
