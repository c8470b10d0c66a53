/** A migration as SQL scripts for psql: a header, phases as sections, one comment per step saying why. */
import { escapeControl } from '../ingest/inert.js';
import { PHASES, type Migration, type MigrationNote, type MigrationStep, type Phase } from './model.js';

export interface RenderOptions {
  /**
   * Only the statements plain PostgreSQL can run: no Citus UDF calls, no
   * citus.* settings, no checks of Citus metadata (for trying the schema
   * changes on a PostgreSQL copy). Rollback steps that are blocked on Citus
   * are rendered as live SQL here.
   */
  readonly postgresOnly?: boolean;
}

const TITLES: Record<Phase, string> = {
  preflight: 'preflight: stop before anything changes unless the cluster is ready',
  prepare: 'prepare: distribution columns, settings and fixes the tables need first',
  reference: 'reference: reference tables first, so that foreign keys to them can stay',
  constraints: 'constraints: foreign keys out of the way, keys that include the distribution column',
  distribute: 'distribute: single-shard tables, then each colocation group, anchor first',
  restore: 'restore: the foreign keys Citus enforces under this design',
  cleanup: 'cleanup: the local copies left on the coordinator',
};

const UNDO_TITLES: Record<Phase, string> = {
  cleanup: 'cleanup: nothing to undo (undistribute_table brings the rows back from the shards)',
  restore: 'restore, undone: the foreign keys the migration re-added',
  distribute: 'distribute, undone: foreign keys out of undistribute_table\'s way, then back to plain PostgreSQL tables, last distributed first',
  constraints: 'constraints, undone: the original keys, unique indexes and foreign keys',
  reference: 'reference, undone: the foreign keys dropped before the reference tables were made',
  prepare: 'prepare, undone: added columns, widened types and settings',
  preflight: 'preflight: nothing to undo; last, the rules, CLUSTER ON markings and comments the tables lost on the way, as the schema sets them',
};

const NOT_IN_TX = '[not in a transaction block]';

/**
 * Comment lines for a text: each paragraph wrapped under `prefix`. Names
 * from the schema reach these texts: every character that could end a `--`
 * comment (PostgreSQL ends one at a carriage return as at a newline) or hide
 * text is escaped, so nothing in a comment ever runs.
 */
function wrap(text: string, prefix: string, width = 100): string[] {
  const out: string[] = [];
  for (const para of text.split('\n').map(escapeControl)) {
    let line = '';
    for (const word of para.split(/ +/)) {
      if (line && prefix.length + line.length + 1 + word.length > width) {
        out.push(prefix + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push((prefix + line).trimEnd());
  }
  return out;
}

function rule(): string {
  return `-- ${'='.repeat(76)}`;
}

function renderStep(s: MigrationStep, live: boolean): string[] {
  const out: string[] = [];
  const lead = s.transactional ? '' : `${NOT_IN_TX} `;
  out.push(...wrap(lead + s.why, '-- '));
  if (!live) {
    out.push(...wrap(`BLOCKED on Citus: ${s.blocked}. Run it by hand once the table is a plain table again.`, '-- '));
    out.push(...`${s.sql};`.split('\n').map((l) => `-- ${escapeControl(l)}`.trimEnd()));
  } else out.push(`${s.sql};`);
  out.push('');
  return out;
}

function renderNotes(notes: readonly MigrationNote[], phase: Phase): string[] {
  const out: string[] = [];
  for (const n of notes.filter((x) => x.phase === phase)) {
    out.push(...wrap(n.text, '-- NOTE: ').map((l, i) => (i === 0 ? l : l.replace(/^-- NOTE: /, '--       '))));
  }
  if (out.length) out.push('');
  return out;
}

function summary(m: Migration): string {
  const tables = new Set(m.steps.filter((s) => s.table && /^SELECT create_(?:reference_table|distributed_table(?:_concurrently)?)\(/.test(s.sql)).map((s) => s.table));
  return `${tables.size} table${tables.size === 1 ? '' : 's'} onto Citus ${m.citus}, ${m.shardCount} shards${m.concurrently ? ', distributed concurrently where Citus allows it' : ''}`;
}

/** The migration script. */
export function renderMigration(m: Migration, options: RenderOptions = {}): string {
  const pgOnly = !!options.postgresOnly;
  const out: string[] = [
    `-- shardwise migration: ${summary(m)}.`,
    ...(pgOnly
      ? ['-- PostgreSQL part only: the Citus calls, citus.* settings and Citus checks are left out.', '-- For trying the schema changes on a plain PostgreSQL copy; it does not distribute anything.']
      : [
          '-- Review it before running. Run it with psql as one session, not wrapped in one transaction:',
          '--   psql -v ON_ERROR_STOP=1 -f migration.sql',
          `-- Steps marked ${NOT_IN_TX} cannot run inside BEGIN ... COMMIT.`,
        ]),
    '',
  ];
  PHASES.forEach((phase, i) => {
    const steps = m.steps.filter((s) => s.phase === phase && !(pgOnly && s.citus));
    const notes = renderNotes(m.notes, phase);
    out.push(rule(), `-- Phase ${i + 1}, ${TITLES[phase]}`, rule(), '');
    out.push(...notes);
    if (!steps.length && !notes.length) out.push('-- nothing to do', '');
    for (const s of steps) out.push(...renderStep(s, true));
  });
  return out.join('\n').replace(/\n+$/, '\n');
}

/** The rollback script: each phase undone, last phase first. */
export function renderRollback(m: Migration, options: RenderOptions = {}): string {
  const pgOnly = !!options.postgresOnly;
  const r = m.rollback;
  const out: string[] = [`-- shardwise rollback of the migration: ${summary(m)}.`];
  if (pgOnly) out.push('-- PostgreSQL part only: the Citus calls are left out; blocked steps are live here.');
  else out.push('-- Run it with psql as one session:', '--   psql -v ON_ERROR_STOP=1 -f rollback.sql');
  if (r.cannotUndo.length) {
    out.push('--', '-- What this rollback cannot undo:');
    for (const c of r.cannotUndo) out.push(...wrap(c, '--   - ').map((l, i) => (i === 0 ? l : l.replace(/^-- {3}- /, '--     '))));
  }
  out.push('');
  const order: Phase[] = [...PHASES].reverse();
  for (const phase of order) {
    const steps = r.steps.filter((s) => s.phase === phase && !(pgOnly && s.citus));
    const notes = renderNotes(r.notes, phase);
    out.push(rule(), `-- Undo phase ${PHASES.indexOf(phase) + 1}, ${UNDO_TITLES[phase]}`, rule(), '');
    out.push(...notes);
    if (!steps.length && !notes.length) out.push('-- nothing to do', '');
    for (const s of steps) out.push(...renderStep(s, pgOnly || !s.blocked));
  }
  return out.join('\n').replace(/\n+$/, '\n');
}
