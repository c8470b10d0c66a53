/**
 * Layering statistics from several sources: per table, a measured layer
 * (`estimated: false`) beats an estimated one; between layers of the same
 * kind the earlier argument wins. Pass layers most-trusted first, e.g.
 * `mergeStats(fromExport, fromData, estimateStats(catalog))`.
 */
import type { Stats, TableStats } from './model.js';

export function mergeStats(...layers: readonly Stats[]): Stats {
  const chosen = new Map<string, TableStats>();
  for (const layer of layers) {
    for (const [key, t] of Object.entries(layer.tables)) {
      const prev = chosen.get(key);
      if (!prev || (prev.estimated && !t.estimated)) chosen.set(key, t);
    }
  }
  const tables: Record<string, TableStats> = {};
  for (const key of [...chosen.keys()].sort()) tables[key] = chosen.get(key)!;
  const warnings = [...new Set(layers.flatMap((l) => l.warnings ?? []))].sort();
  return warnings.length ? { tables, warnings } : { tables };
}
