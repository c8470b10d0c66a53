import { loadParser, readScript, type Gap, type Script } from '../ingest/pg/index.js';
import { CatalogBuilder } from './builder.js';
import type { Catalog } from './model.js';

export * from './model.js';
export { CatalogBuilder, NOT_UNDERSTOOD } from './builder.js';

export interface SchemaInput {
  readonly file: string;
  readonly text: string;
  /** Data lines of the file that `text` leaves out (see `SourceText`). */
  readonly gaps?: readonly Gap[];
}

/** Parse and apply schema files in order. The parser must be loaded (see `readSchema`). */
export function buildCatalog(inputs: readonly SchemaInput[]): { catalog: Catalog; scripts: Script[] } {
  const builder = new CatalogBuilder();
  const scripts: Script[] = [];
  for (const input of inputs) {
    const script = readScript(input.file, input.text, input.gaps);
    scripts.push(script);
    builder.addScript(script);
  }
  return { catalog: builder.build(), scripts };
}

/** Load the parser, then build. */
export async function readSchema(inputs: readonly SchemaInput[]): Promise<{ catalog: Catalog; scripts: Script[] }> {
  await loadParser();
  return buildCatalog(inputs);
}

/**
 * The partitioned table at the top of a partition's tree (itself when it is
 * no partition): the table Citus distributes, whose design its partitions
 * follow, however deep the sub-partitioning goes.
 */
export function partitionRoot(catalog: Catalog, key: string): string {
  let k = key;
  for (let depth = 0; depth < 64; depth++) {
    const parent = catalog.tables[k]?.partitionOf?.parent;
    if (!parent) return k;
    k = parent;
  }
  return k;
}
