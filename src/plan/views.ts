/**
 * Views the migration or its rollback drops and creates again around a
 * change PostgreSQL refuses while they stand.
 */
import type { View } from '../catalog/model.js';
import { sqlName } from '../ingest/pg/index.js';

/**
 * `seeds` and the views that read them, directly or through other views
 * (PostgreSQL refuses to drop a view others depend on), in creation order: a
 * view after every view it reads. Views without a definition to run again
 * are left out.
 */
export function withReaders(views: Readonly<Record<string, View>>, seeds: Iterable<string>): string[] {
  const out = new Set([...seeds].filter((k) => views[k]?.definition));
  for (let grown = true; grown; ) {
    grown = false;
    for (const [k, v] of Object.entries(views)) {
      if (!out.has(k) && v.definition && v.reads.some((r) => out.has(r))) {
        out.add(k);
        grown = true;
      }
    }
  }
  const ordered: string[] = [];
  const visit = (k: string, seen: Set<string>): void => {
    if (!out.has(k) || ordered.includes(k) || seen.has(k)) return;
    seen.add(k);
    for (const r of views[k].reads) visit(r, seen);
    ordered.push(k);
  };
  for (const k of [...out].sort()) visit(k, new Set());
  return ordered;
}

export function dropViewSql(v: View): string {
  return `DROP ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${sqlName(v.key)}`;
}
