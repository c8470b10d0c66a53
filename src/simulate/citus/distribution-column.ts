/**
 * Which columns Citus can hash-distribute on (citus-rules.md §2.1, §3): the
 * checks of create_distributed_table.c EnsureRelationCanBeDistributed on the
 * column (DistributionColumnUsesGeneratedStoredColumn,
 * DistributionColumnUsesNumericColumnNegativeScale, SupportFunctionForColumn),
 * and the collation colocation compares (colocation_utils.c).
 */
import type { Column } from '../../catalog/model.js';
import { CitusError } from './errors.js';

/** Built-in types without a default hash operator class. */
const NO_HASH_OPCLASS = new Set([
  'json', 'xml', 'point', 'money', 'tsvector', 'tsquery', 'line', 'lseg', 'box', 'path', 'polygon', 'circle',
  'txid_snapshot', 'pg_snapshot',
]);

/** Types whose values carry a collation. */
const COLLATABLE = new Set(['text', 'varchar', 'bpchar', 'name', 'citext']);

/** The collation a column's values use: explicit, else `default` for a collatable type, else ''. */
export function columnCollation(col: Column): string {
  if (col.collation) return col.collation;
  if (col.type.arrayDims === 0 && COLLATABLE.has(col.type.base)) return 'default';
  return '';
}

/** The type's own default collation (what Citus before 14.0 used for the default group). */
export function typeCollation(col: Column): string {
  return col.type.arrayDims === 0 && COLLATABLE.has(col.type.base) ? 'default' : '';
}

/** The type as format_type_be() names it, without modifiers. */
function typeName(col: Column): string {
  return col.type.display.replace(/\(.*\)/, '');
}

/** Built-in types without a default btree operator class: no range distribution on them. */
const NO_BTREE_OPCLASS = new Set(['json', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle']);

/**
 * §2.1/§3 column checks, in Citus's order: generated, numeric negative
 * scale, then the support function the method needs (a hash opclass for
 * hash, a btree comparison function for range, none for append).
 */
export function checkDistributionColumn(table: string, col: Column, method: 'hash' | 'append' | 'range' = 'hash'): CitusError | undefined {
  if (col.generated) {
    return new CitusError(
      `cannot distribute relation: ${table}`,
      `Distribution column must not use GENERATED ALWAYS AS (...) ${col.generated.kind === 'virtual' ? 'VIRTUAL' : 'STORED'}.`,
    );
  }
  if (col.type.base === 'numeric' && col.type.arrayDims === 0 && col.type.typmods.length > 1 && col.type.typmods[1] < 0) {
    return new CitusError(`cannot distribute relation: ${table}`, 'Distribution column must not use numeric type with negative scale');
  }
  if (method === 'range' && col.type.arrayDims === 0 && NO_BTREE_OPCLASS.has(col.type.base)) {
    return new CitusError(`could not identify a comparison function for type ${typeName(col)}`, 'Partition column types must have a comparison function defined to use range partitioning.');
  }
  if (method === 'hash' && col.type.arrayDims === 0 && NO_HASH_OPCLASS.has(col.type.base)) {
    return new CitusError(
      `data type ${typeName(col)} has no default operator class for specified partition method`,
      'Partition column types must have a default operator class defined.',
    );
  }
  return undefined;
}

/** An EXCLUDE element's operator: does it test equality (`=`, `pg_catalog.=`)? */
export function isEqualityOperator(op: string): boolean {
  return op.split('.').pop() === '=';
}
