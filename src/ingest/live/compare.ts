/**
 * Compare two catalogs on what is semantically meaningful (see docs/live.md):
 * locations, `skipped`, `diagnostics`, `data` and `files` are ignored, and so
 * are the statements kept as written to run again (view and function
 * definitions, materialized-view indexes, comments, rules, CLUSTER ON; of a
 * view's key groupings only the tables, the place in its text being the dump's); arrays
 * of named objects (constraints, indexes, triggers, policies) are compared as
 * sets keyed by name; everything else exactly.
 */
import type { Catalog } from '../../catalog/model.js';

export interface CatalogDifference {
  /** Dotted path, e.g. `tables.public.film.columns.title.type.display`. */
  readonly path: string;
  /** Value in the first catalog (the dump's), `undefined` when absent. */
  readonly left: unknown;
  /** Value in the second catalog (the live one). */
  readonly right: unknown;
}

const NAMED_ARRAYS = new Set(['uniques', 'checks', 'exclusions', 'foreignKeys', 'indexes', 'triggers', 'policies']);

/** The `name` of an object, undefined for anything else. */
function nameOf(item: unknown): unknown {
  return item && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
}

/** By name; items without a string name keep their place. */
function byName(a: unknown, b: unknown): number {
  const x = nameOf(a);
  const y = nameOf(b);
  if (typeof x !== 'string' || typeof y !== 'string') return 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

function strip(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => strip(v));
    if (NAMED_ARRAYS.has(parentKey)) return [...items].sort(byName);
    return items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (k === 'location') continue;
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      out[k] = strip(v, k);
    }
    return out;
  }
  return value;
}

/** The comparable part of a catalog: no locations, no reading diagnostics, named arrays sorted. */
export function comparableCatalog(c: Catalog): Record<string, unknown> {
  return strip({
    schemas: c.schemas,
    tables: c.tables,
    views: Object.fromEntries(
      Object.entries(c.views).map(([k, v]) => [k, { ...v, definition: undefined, indexes: undefined, keyGroupings: v.keyGroupings ? [...new Set(v.keyGroupings.map((g) => g.table))].sort() : undefined }]),
    ),
    sequences: c.sequences,
    types: c.types,
    functions: Object.fromEntries(Object.entries(c.functions).map(([k, f]) => [k, { ...f, definition: undefined, rowTypes: undefined }])),
    extensions: c.extensions,
  }) as Record<string, unknown>;
}

function label(item: unknown, index: number): string {
  const name = nameOf(item);
  return typeof name === 'string' ? name : String(index);
}

function diff(a: unknown, b: unknown, path: string, out: CatalogDifference[]): void {
  if (Array.isArray(a) && Array.isArray(b) && a.every((x) => typeof nameOf(x) === 'string') && b.every((x) => typeof nameOf(x) === 'string') && (a.length || b.length) && typeof (a[0] ?? b[0]) === 'object') {
    const am = new Map(a.map((x, i) => [label(x, i), x]));
    const bm = new Map(b.map((x, i) => [label(x, i), x]));
    for (const k of [...new Set([...am.keys(), ...bm.keys()])].sort()) diff(am.get(k), bm.get(k), `${path}.${k}`, out);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, left: a, right: b });
}

/** Every difference between two catalogs, sorted by path. */
export function compareCatalogs(left: Catalog, right: Catalog): CatalogDifference[] {
  const out: CatalogDifference[] = [];
  diff(comparableCatalog(left), comparableCatalog(right), '', out);
  return out;
}

/** One line per difference: `path: dump=<json> live=<json>`. */
export function formatDifferences(diffs: readonly CatalogDifference[], names: [string, string] = ['dump', 'live']): string {
  return diffs.map((d) => `${d.path}: ${names[0]}=${JSON.stringify(d.left)} ${names[1]}=${JSON.stringify(d.right)}`).join('\n');
}
