/**
 * What a rule is made of: its document (rules/<ID>.yml, the single source of
 * every user-facing string) and its check (src/rules/<ID>.ts, logic only).
 */
import type { Catalog, Column, ForeignKey, Location, Table } from '../catalog/model.js';
import type { Design, TableKind } from '../design/model.js';
import type { CitusVersion } from '../design/version.js';
import type { Severity } from './finding.js';

/** rules/<ID>.yml, as schemas/rule.schema.json validates it. */
export interface RuleDoc {
  readonly id: string;
  readonly name: string;
  readonly group: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly rationale: string;
  readonly messages: Readonly<Record<string, string>>;
  readonly help: string;
  readonly links: ReadonlyArray<{ readonly title: string; readonly url: string }>;
  /** JSON Schema of the options object. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The options when none are given (their schema's defaults), as the build's rule catalogue records them. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  readonly examples: {
    readonly valid: readonly RuleExample[];
    readonly invalid: readonly RuleExample[];
  };
}

export interface ExampleTableDesign {
  readonly kind: TableKind;
  readonly column?: string;
  readonly colocate_with?: string;
  readonly shard_count?: number;
}

export interface RuleExample {
  readonly title: string;
  /** Schema SQL, as a dump would hold it. */
  readonly schema: string;
  /** Table -> design, as in shardwise.plan.yaml. */
  readonly design: Readonly<Record<string, ExampleTableDesign>>;
  readonly citus?: string;
  readonly shard_count?: number;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Invalid examples: exactly the findings the rule must give. */
  readonly findings?: readonly ExpectedFinding[];
  /**
   * Invalid examples: what a real Citus cluster says when the design is
   * applied (test/citus/rules.test.ts runs it): `ok` when Citus accepts it
   * and the rule is about what follows.
   */
  readonly on_citus?: 'ok' | ExampleOnCitus;
}

/**
 * The first ERROR Citus gives, verbatim, to the schema, the design's
 * distribution calls and then `then`.
 */
export interface ExampleOnCitus {
  /** SQL run after the design is applied, where the consequence shows (an insert, a later ALTER). */
  readonly then?: string;
  /** `then` runs on a worker (metadata is synced to the workers), as an application connected there would. */
  readonly on_worker?: boolean;
  readonly error: string;
  readonly detail?: string;
}

export interface ExpectedFinding {
  readonly rule?: string;
  readonly messageId: string;
  readonly table: string;
  readonly column?: string;
  readonly line: number;
  readonly fix?: string;
}

/**
 * The kind a table really ends up with under Citus: the design's kind, except
 * that a local table FK-connected to a reference table (directly, or through
 * other local tables) is auto-converted to a citus local table.
 */
export type CitusKind = 'distributed' | 'single-shard' | 'reference' | 'citus-local' | 'local';

export interface TableFacts {
  readonly table: Table;
  /** Kind as the design states it (tables absent from the design are local). */
  readonly designKind: TableKind;
  readonly kind: CitusKind;
  /** Distribution column (distributed tables whose design names an existing column). */
  readonly column?: Column;
  /** Shards of a distributed table (1 for single-shard and reference). */
  readonly shardCount: number;
  /**
   * Colocation group of a distributed or single-shard table, computed as Citus
   * does: an explicit colocate_with joins that table's group; otherwise tables
   * with the same shard count, distribution column type and collation share one.
   */
  readonly colocationGroup?: string;
}

export type { CitusVersion };

/** Everything a rule may read: plain, prepared once per run. */
export interface RuleFacts {
  readonly catalog: Catalog;
  readonly design: Design;
  readonly citus: CitusVersion;
  /** Every catalog table, keyed like the catalog, sorted by key. */
  readonly tables: Readonly<Record<string, TableFacts>>;
}

export interface ReportFix {
  readonly description?: string;
  readonly sql?: string;
}

export interface Report {
  readonly messageId: string;
  /** Placeholder values for the message (and for the fix description). */
  readonly data?: Readonly<Record<string, string | number>>;
  /** The offending DDL. */
  readonly at: Location;
  readonly table?: string;
  readonly column?: string;
  readonly fix?: ReportFix;
}

export interface RuleContext extends RuleFacts {
  /** The rule's options, validated against its schema, defaults applied. */
  readonly options: Readonly<Record<string, unknown>>;
  report(report: Report): void;
  /** Helpers over the facts. */
  kindOf(table: string): CitusKind;
  factsOf(table: string): TableFacts | undefined;
  /** True when both are distributed/single-shard tables in the same colocation group. */
  colocated(a: string, b: string): boolean;
  atLeast(version: string): boolean;
}

/** Which prepared facts a rule reads (documentation, and room to skip work later). */
export type Need = 'catalog' | 'design' | 'kinds' | 'colocation' | 'version' | 'sequences';

export interface RuleModule {
  readonly id: string;
  readonly needs: readonly Need[];
  check(ctx: RuleContext): void;
}

export function defineRule(rule: RuleModule): RuleModule {
  return rule;
}

export type { Catalog, Column, Design, ForeignKey, Table };
