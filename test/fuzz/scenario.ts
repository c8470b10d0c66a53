/** What a fuzz case is, and what makes one. */
import type { Rng } from './rng.js';
import type { Seeds } from './seeds.js';

/** The schema file of every case. */
export const ANCHOR = 'schema.sql';

export interface FuzzCase {
  /** `seed:index`. */
  readonly id: string;
  readonly scenario: string;
  /** Arguments after `shardwise`; paths are relative to the case's directory. */
  readonly argv: readonly string[];
  readonly files: Readonly<Record<string, Buffer>>;
  /** Directories to create (empty, or holding the files under them). */
  readonly dirs?: readonly string[];
  /** Links to make: `path` -> `target`, both relative. */
  readonly links?: ReadonlyArray<{ readonly path: string; readonly target: string; readonly kind: 'symlink' | 'hard' }>;
  /** The file the mutators broke (what shrinking works on). */
  readonly target?: string;
  readonly mutators: readonly string[];
  /** A password that must never appear in any output. */
  readonly secret?: string;
  /** Files the command may write; every other file must come out unchanged. */
  readonly outputs?: readonly string[];
}

export type Scenario = (seeds: Seeds, rng: Rng) => Omit<FuzzCase, 'id' | 'scenario'>;
