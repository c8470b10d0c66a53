/**
 * A campaign's failures as a reader needs them: grouped by kind and first
 * line of the message (one reproduction per group), each group with its
 * command line, the message and the broken file shrunk to a minimal
 * reproduction. Used by `npm run fuzz` and by the CI campaign test.
 */
import type { Failure } from './campaign.js';
import type { FuzzCase } from './cases.js';
import type { FailureKind } from './oracle.js';
import type { Pool } from './pool.js';
import { shrinkCase } from './shrink.js';

export interface FailureGroup {
  readonly key: string;
  readonly failures: readonly Failure[];
}

/** Failures of the same kind, scenario and message (numbers aside) form a group. */
export function groupFailures(failures: readonly Failure[]): FailureGroup[] {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.kind} ${f.case.scenario} ${f.detail.split('\n')[0].replace(/\d+/g, 'N').slice(0, 120)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups].map(([key, fs]) => ({ key, failures: fs }));
}

export interface Reproduction {
  readonly text: string;
  /** The case with its broken file shrunk. */
  readonly case: FuzzCase;
}

/** Kinds whose every run waits for the time limit: shrinking them costs a limit per try. */
export const SLOW: ReadonlySet<FailureKind> = new Set(['hang', 'memory']);

/** A group's first case, shrunk within `budget` runs (a hang or memory blow-up within a few), described. */
export async function reproduce(group: FailureGroup, pool: Pool, budget: number): Promise<Reproduction> {
  const f = group.failures[0];
  const fs = group.failures;
  const lines = [
    `== ${f.kind} (${fs.length} case${fs.length === 1 ? '' : 's'}: ${fs.slice(0, 8).map((x) => x.case.id).join(' ')}${fs.length > 8 ? ' ...' : ''})`,
    `   ${group.key}`,
    `   shardwise ${f.case.argv.map((a) => JSON.stringify(a)).join(' ')}   [${f.case.scenario}: ${f.case.mutators.join(', ')}]`,
    ...f.detail.split('\n').map((l) => `   | ${l}`),
  ];
  const runs = SLOW.has(f.kind) ? Math.min(budget, 4) : budget;
  const shrunk = runs && f.case.target ? await shrinkCase(f.case, f.kind, pool, { budget: runs }) : { case: f.case, runs: 0 };
  if (f.case.target) {
    const bytes = shrunk.case.files[f.case.target];
    const shown = bytes.length > 600 ? `${JSON.stringify(bytes.subarray(0, 600).toString('utf8'))} ... (${bytes.length} bytes)` : JSON.stringify(bytes.toString('utf8'));
    lines.push(`   minimal ${f.case.target} (${bytes.length} bytes after ${shrunk.runs} runs): ${shown}`);
  }
  lines.push(`   run it again: npm run fuzz -- --case ${f.case.id}`);
  return { text: lines.join('\n'), case: shrunk.case };
}
