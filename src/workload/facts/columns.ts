/**
 * Column references resolved through the scopes: a name to the relation
 * (alias, CTE, derived table, join, view, table) that has it at the nearest
 * query level that sees it, and from there to the base column, or the reason
 * it cannot be, recorded in `unresolved` — never guessed.
 */
import type { Node } from '../../ingest/pg/ast.js';
import { qualifiedKey } from '../../ingest/pg/names.js';
import { columnRefFields, nodeAs } from '../../ingest/pg/nodes.js';
import type { ColumnRef, UnresolvedColumn } from '../model.js';
import { isStar, stripCast } from './context.js';
import type { FactRecorder } from './recorder.js';
import { reasonFor, type Rel, type Resolved, type Scope } from './scope.js';

type Failure = { reason: UnresolvedColumn['reason'] };

/** The columns every table has besides its own (PostgreSQL's system columns). */
const SYSTEM_COLUMNS = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid']);

/** A system column of a table FROM item: a column of the table like the others. */
function systemColumn(r: Rel, name: string): ColumnRef | undefined {
  return r.kind === 'table' && r.key && SYSTEM_COLUMNS.has(name) ? { table: r.key, column: name } : undefined;
}

/**
 * Resolve a column reference's name parts. Returns the resolution, or the
 * reason it failed (recorded in `unresolved` when `record`).
 */
export function lookup(rec: FactRecorder, parts: string[], scope: Scope, record: boolean): Resolved | Failure {
  const fail = (reason: UnresolvedColumn['reason']): Failure => {
    if (record) rec.unresolvedColumn(parts.join('.'), reason);
    return { reason };
  };
  if (parts.length === 1) {
    const name = parts[0];
    let skipRels = false;
    let depth = 0;
    for (let s: Scope | undefined = scope; s; s = s.parent, depth++) {
      const hideNext = s.hideParentRels;
      if (!skipRels) {
        let found: Rel | undefined;
        let count = 0;
        let open: Rel | undefined;
        for (const r of s.rels) {
          if (r.qualifiedOnly) continue;
          if (!r.cols) open ??= r;
          else if (r.cols.has(name)) {
            found ??= r;
            count++;
          }
        }
        if (count > 1 && !s.merged.has(name)) return fail('ambiguous');
        if (found) return hit(found, name, found.cols!.get(name) ?? null, s, scope, depth);
        const tables = s.rels.filter((r) => !r.qualifiedOnly && systemColumn(r, name));
        if (tables.length === 1 && !open) return hit(tables[0], name, systemColumn(tables[0], name)!, s, scope, depth);
        if (open) return fail(reasonFor(open));
      }
      skipRels = hideNext;
    }
    return fail('unknown-column');
  }
  // Qualified: [schema.]rel.column (a longer name is a composite field: resolve its first parts).
  const take = parts.length >= 3 && relByKey(parts, scope) ? 3 : 2;
  const relName = parts[take - 2];
  const schema = take === 3 ? parts[0] : undefined;
  const col = parts[take - 1];
  let skipRels = false;
  let depth = 0;
  for (let s: Scope | undefined = scope; s; s = s.parent, depth++) {
    const hideNext = s.hideParentRels;
    if (!skipRels) {
      const r = s.rels.find((x) => (schema ? !x.aliased && x.key === qualifiedKey(schema, relName) : x.name === relName));
      if (r) {
        if (!r.cols) return fail(reasonFor(r));
        const sys = r.cols.has(col) ? undefined : systemColumn(r, col);
        if (sys) return hit(r, col, sys, s, scope, depth);
        if (!r.cols.has(col)) return fail('unknown-column');
        return hit(r, col, r.cols.get(col) ?? null, s, scope, depth);
      }
    }
    skipRels = hideNext;
  }
  // `t.col` where t is a column of composite type, e.g. (rec).f written without parentheses, is not valid SQL.
  return fail('unknown-relation');
}

export function isResolved(r: Resolved | Failure): r is Resolved {
  return 'rel' in r;
}

function relByKey(parts: string[], scope: Scope): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.rels.some((r) => !r.aliased && r.key === qualifiedKey(parts[0], parts[1]))) return true;
  return false;
}

/** A resolution `depth` levels up marks the levels in between correlated. */
function hit(rel: Rel, column: string, ref: ColumnRef | null, at: Scope, from: Scope, depth: number): Resolved {
  if (depth > 0) for (let s: Scope | undefined = from; s && s !== at; s = s.parent) s.correlated = true;
  return { rel, scope: at, column, ref, depth };
}

/** Columns of `*` or `t.*` (name, base column, the relation that shows it); undefined when some relation's columns are not known. */
export function star(rec: FactRecorder, qual: string[], scope: Scope): Array<[string, ColumnRef | null, Rel]> | undefined {
  const out: Array<[string, ColumnRef | null, Rel]> = [];
  const rels = qual.length ? scope.rels.filter((r) => r.name === qual[qual.length - 1]) : scope.rels.filter((r) => !r.qualifiedOnly);
  if (qual.length && rels.length === 0) {
    rec.unresolvedColumn(`${qual.join('.')}.*`, 'unknown-relation');
    return undefined;
  }
  for (const r of rels) {
    // A `*` over a relation whose columns are not known: the output is not known (no column is misread).
    if (!r.cols) return undefined;
    for (const [n, ref] of r.cols) out.push([n, ref, r]);
  }
  return out;
}

/** The base column of an expression that is a plain column reference (already walked: a failure is not recorded again). */
export function plainColumn(rec: FactRecorder, n: Node | undefined, scope: Scope): ColumnRef | undefined {
  return plainResolved(rec, n, scope)?.ref ?? undefined;
}

/** The resolution of an expression that is a plain column reference (already walked: a failure is not recorded again). */
export function plainResolved(rec: FactRecorder, n: Node | undefined, scope: Scope): Resolved | undefined {
  const cr = nodeAs(stripCast(n), 'ColumnRef');
  if (!cr || isStar(cr.fields)) return undefined;
  const r = lookup(rec, columnRefFields(cr), scope, false);
  return isResolved(r) ? r : undefined;
}
