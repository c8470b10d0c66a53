/**
 * Findings by who acts on them: those `shardwise migrate` takes care of (it
 * rewrites the key, the foreign key, the column, or runs the step that
 * handles it), and those a person must decide, with the decision to make.
 * Read from the migration the design gives, not guessed from the rule.
 */
import { optionalKeyOf, partitionsByRoot } from '../advisor/optional.js';
import type { Catalog, Table } from '../catalog/model.js';
import type { Location } from '../ingest/pg/source.js';
import { displayName, quoteIdent } from '../ingest/pg/index.js';
import type { Migration } from '../plan/model.js';
import type { Finding } from '../rules/finding.js';
import type { RuleMeta } from './model.js';

export type Disposition = 'migrate' | 'person';

export interface TriagedFinding {
  readonly ruleId: string;
  readonly location: Location;
  readonly table?: string;
  /** The finding's own message: the Citus consequence. */
  readonly message: string;
  readonly disposition: Disposition;
  /** What the migration does about it, or the decision a person must make. */
  readonly how: string;
  /** `how` as it applies to every finding of the same rule and case (no names): findings with one choice are one decision. */
  readonly choice: string;
}

export interface TriageByRule {
  readonly ruleId: string;
  readonly migrate: number;
  readonly person: number;
  /** What the migration does about this rule's findings (when it does). */
  readonly how?: string;
  /** The decision its other findings need. */
  readonly decision?: string;
}

export interface Triage {
  readonly migrate: number;
  readonly person: number;
  /** Sorted by rule id. */
  readonly byRule: TriageByRule[];
  /** In the order of the findings given. */
  readonly findings: TriagedFinding[];
}

/** What the migration does about a rule's findings, said once for all of them. */
const MIGRATE_DOES: Record<string, string> = {
  DC05: 'the distribution column is filled or checked for NULLs, then made NOT NULL',
  FK02: 're-added in a form Citus accepts, with the distribution column (see the restore phase)',
  FK03: 're-added in a form Citus accepts, with the distribution column (see the restore phase)',
  FK06: 're-added with ON UPDATE NO ACTION where no referenced key can change (see the restore phase)',
  UQ01: 'made again with the distribution column first (unique per key from then on)',
  TRG01: 'distributed with citus.enable_unsafe_triggers on: each trigger then runs on the shards, review what it reads and writes',
  ID01: 'widened to bigint, with its sequence',
  SEQ01: 'widened to bigint, with its sequence',
};

const at = (l: Location) => `${l.file}\u0000${l.line}\u0000${l.column}`;

/** The first sentence of a rule's remedy, as the decision to make. */
function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  let code = false;
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    if (c === '`') code = !code;
    // a full stop or semicolon outside `code`, not part of an ellipsis or "e.g.", then a space
    else if (!code && (c === '.' || c === ';') && flat[i + 1] === ' ' && flat[i - 1] !== '.' && !/\b(e\.g|i\.e)$/.test(flat.slice(0, i))) return flat.slice(0, i);
  }
  return flat.replace(/[.;]$/, '');
}

/**
 * Each error or warning finding, by who acts on it. `migration` is the one
 * `shardwise migrate` writes for the same design; without one (the design
 * could not be planned), every finding needs a person.
 */
export function triageFindings(findings: readonly Finding[], catalog: Catalog, migration: Migration | undefined, rules: readonly RuleMeta[]): Triage {
  // Where each foreign key and key constraint is declared: findings point there.
  const fkAt = new Map<string, { table: string; name: string; parents?: string[] }>();
  const partitions = partitionsByRoot(catalog);
  // A partition's key that its partitioned parent has too changes with the parent's: named as the parent's.
  const keyAt = new Map<string, string>();
  for (const t of Object.values(catalog.tables)) {
    for (const fk of t.foreignKeys) fkAt.set(at(fk.location), { table: t.key, name: fk.name, parents: severalParents(t, fk.columns, partitions.get(t.key)) });
    const parent = t.partitionOf ? catalog.tables[t.partitionOf.parent] : undefined;
    const parentKeys = parent ? [...(parent.primaryKey ? [parent.primaryKey] : []), ...parent.uniques] : [];
    const named = (k: { name: string; columns: ReadonlyArray<string | null> }) => parentKeys.find((p) => p.columns.join() === k.columns.join())?.name ?? k.name;
    if (t.primaryKey) keyAt.set(at(t.primaryKey.location), named(t.primaryKey));
    for (const u of t.uniques) keyAt.set(at(u.location), named(u));
  }
  const rewritten = new Map((migration?.foreignKeys.rewritten ?? []).map((r) => [`${r.table}\u0000${r.name}`, r]));
  const stepsOf = new Map<string, string[]>();
  for (const s of migration?.steps ?? []) {
    if (!s.table) continue;
    const list = stepsOf.get(s.table);
    if (list) list.push(s.sql);
    else stepsOf.set(s.table, [s.sql]);
  }
  const unsafeTriggers = (migration?.steps ?? []).some((s) => /^SET citus\.enable_unsafe_triggers = on$/i.test(s.sql));
  const helpOf = new Map(rules.map((r) => [r.id, r.help]));
  // A partition changes with its partitioned parent: the steps on the parent are its steps too.
  const steps = (table: string | undefined): string[] => {
    if (!table) return [];
    const parent = catalog.tables[table]?.partitionOf?.parent;
    return [...(stepsOf.get(table) ?? []), ...(parent ? steps(parent) : [])];
  };

  const decide = (f: Finding): { disposition: Disposition; how: string; choice?: string } => {
    const person = (why?: string, choice?: string) => ({
      disposition: 'person' as const,
      how: why ?? firstSentence(f.help ?? helpOf.get(f.ruleId)) ?? 'decide how to change the schema or the design',
      ...(choice ? { choice } : {}),
    });
    if (!migration) return person();
    if (f.ruleId.startsWith('FK')) {
      const fk = fkAt.get(at(f.location));
      const r = fk && rewritten.get(`${fk.table}\u0000${fk.name}`);
      if (r) return { disposition: 'migrate', how: `re-added in the form Citus accepts: ${r.changes.join('; ')}` };
      // A row of the table belongs to one of several parents: no design colocates it with each.
      if (fk?.parents) {
        const rest = 'add a key all of them share (filled from each parent) and distribute on it, or accept that the migration drops the foreign key for good and the application checks it';
        return person(`rows of ${displayName(fk.table)} belong to one of ${fk.parents.join(', ')} (a CHECK leaves the others NULL): ${rest}`, `the rows belong to one of several parents (a CHECK leaves the others NULL): ${rest}`);
      }
      if (fk && migration.foreignKeys.dropped.some((d) => d.table === fk.table && d.name === fk.name)) {
        const rest = 'accept that the application checks it, or change the design so both tables are colocated on one key or the referenced one is a reference table';
        return person(`the migration drops ${fk.name} for good: ${rest}`, `the migration drops the foreign key for good: ${rest}`);
      }
      return person();
    }
    const col = f.column ? quoteIdent(f.column) : undefined;
    switch (f.ruleId) {
      case 'UQ01': {
        const name = keyAt.get(at(f.location));
        if (name && steps(f.table).some((sql) => sql.includes(quoteIdent(name)) && /\b(ADD CONSTRAINT|CREATE UNIQUE INDEX)\b/.test(sql))) {
          return { disposition: 'migrate', how: `made again with ${f.column ?? 'the distribution column'} first (unique per ${f.column ?? 'key'} from then on)` };
        }
        return person();
      }
      case 'DC05': {
        // NULL by design: the migration's check for NULLs would stop on the rows of the other parents.
        const t = f.table ? catalog.tables[f.table] : undefined;
        const optional = t && f.column ? optionalKeyOf(t, f.column, partitions.get(t.key)) : undefined;
        if (optional) {
          const rest = 'distribute the table on a key every row has (one all its parents share, added and filled), or keep it local or a reference table';
          const on = optional.partition ? ` on ${displayName(optional.partition)}` : '';
          return person(`CHECK ${optional.check.name}${on} leaves ${f.column} NULL by design: ${rest}`, `a CHECK leaves the distribution column NULL by design: ${rest}`);
        }
        if (col && steps(f.table).some((sql) => sql.includes(`ALTER COLUMN ${col} SET NOT NULL`))) return { disposition: 'migrate', how: `${f.column} is filled where needed, checked for NULLs and made NOT NULL` };
        return person();
      }
      case 'TRG01':
        if (unsafeTriggers) return { disposition: 'migrate', how: 'distributed with citus.enable_unsafe_triggers on: the trigger then runs on each shard, so review what it reads and writes' };
        return person();
      case 'ID01':
      case 'SEQ01':
        if (col && steps(f.table).some((sql) => sql.includes(`ALTER COLUMN ${col} TYPE bigint`))) return { disposition: 'migrate', how: `${f.column} (and its sequence) widened to bigint` };
        return person();
      default:
        return person();
    }
  };

  const out: TriagedFinding[] = [];
  const byRule = new Map<string, { migrate: number; person: number; how?: string; decision?: string }>();
  for (const f of findings) {
    if (f.severity === 'info') continue;
    const d = decide(f);
    out.push({ ruleId: f.ruleId, location: f.location, ...(f.table ? { table: f.table } : {}), message: f.message, disposition: d.disposition, how: d.how, choice: d.choice ?? d.how });
    const r = byRule.get(f.ruleId) ?? { migrate: 0, person: 0 };
    r[d.disposition]++;
    if (d.disposition === 'migrate') r.how ??= MIGRATE_DOES[f.ruleId] ?? d.how;
    else r.decision ??= firstSentence(f.help ?? helpOf.get(f.ruleId));
    byRule.set(f.ruleId, r);
  }
  return {
    migrate: out.filter((f) => f.disposition === 'migrate').length,
    person: out.filter((f) => f.disposition === 'person').length,
    byRule: [...byRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([ruleId, r]) => ({ ruleId, ...r })),
    findings: out,
  };
}

/** The parents a row may belong to when a CHECK leaves one of the foreign key's columns NULL while another is set (an either-or). */
function severalParents(t: Table, columns: readonly string[], partitions: readonly Table[] | undefined): string[] | undefined {
  for (const c of columns) {
    const found = optionalKeyOf(t, c, partitions);
    if (found?.others.length) return [c, ...found.others].sort();
  }
  return undefined;
}

/** The closing count of `analyze`: what migrate rewrites, what needs a person, and the decisions. */
export function renderTriage(t: Triage): string {
  if (!t.migrate && !t.person) return '';
  const lines = [`Of these findings, shardwise migrate takes care of ${t.migrate} and ${t.person} need${t.person === 1 ? 's' : ''} a person to decide.`];
  for (const r of t.byRule.filter((x) => x.migrate)) lines.push(`  migrate   ${r.ruleId.padEnd(6)} ${String(r.migrate).padStart(5)}  ${r.how}`);
  for (const r of t.byRule.filter((x) => x.person)) lines.push(`  decide    ${r.ruleId.padEnd(6)} ${String(r.person).padStart(5)}  ${r.decision ?? 'see the rule'}`);
  return lines.join('\n') + '\n';
}
