/** A rule example's design (plan-file shape, unqualified names in public) as a Design. */
import { DEFAULT_CITUS_VERSION, DEFAULT_SHARD_COUNT, type Design, type TableDesign } from '../design/model.js';
import type { RuleExample } from './model.js';

export function tableKey(name: string): string {
  return name.includes('.') ? name : `public.${name}`;
}

export function exampleDesign(example: RuleExample): Design {
  const tables: Record<string, TableDesign> = {};
  for (const name of Object.keys(example.design).sort()) {
    const t = example.design[name];
    tables[tableKey(name)] = {
      kind: t.kind,
      ...(t.column !== undefined ? { column: t.column } : {}),
      ...(t.colocate_with !== undefined ? { colocateWith: tableKey(t.colocate_with) } : {}),
      ...(t.shard_count !== undefined ? { shardCount: t.shard_count } : {}),
    };
  }
  return { citus: example.citus ?? DEFAULT_CITUS_VERSION, shardCount: example.shard_count ?? DEFAULT_SHARD_COUNT, tables };
}

/** The file name example schemas are read under. */
export const EXAMPLE_FILE = 'schema.sql';
