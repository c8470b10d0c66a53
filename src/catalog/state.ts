/**
 * The builder's working state: the catalog's objects in mutable form, keyed
 * as in the Catalog, plus the lookups it keeps beside them. Only the
 * catalog's own modules see it (BuildContext in context.ts holds it);
 * `build()` turns it into the readonly Catalog.
 */
import type {
  CheckConstraint,
  Column,
  DataSource,
  ExclusionConstraint,
  Extension,
  ForeignKey,
  FunctionDef,
  Index,
  Policy,
  Sequence,
  Table,
  Trigger,
  TypeDef,
  UniqueKey,
  View,
} from './model.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type MColumn = Mutable<Column>;

export type MTable = Mutable<Omit<Table, 'columns' | 'foreignKeys'>> & {
  columns: MColumn[];
  uniques: UniqueKey[];
  checks: CheckConstraint[];
  exclusions: ExclusionConstraint[];
  foreignKeys: Array<Mutable<ForeignKey>>;
  indexes: Index[];
  triggers: Trigger[];
  policies: Policy[];
  rules: string[];
  inherits: string[];
};

export interface CatalogState {
  readonly schemas: Set<string>;
  readonly tables: Map<string, MTable>;
  readonly views: Map<string, View>;
  readonly sequences: Map<string, Mutable<Sequence>>;
  readonly types: Map<string, TypeDef>;
  readonly functions: Map<string, FunctionDef>;
  readonly extensions: Extension[];
  readonly data: DataSource[];
  /** Index key (`schema.index`, the table's schema) -> owning table key. */
  readonly indexOwner: Map<string, string>;
}
