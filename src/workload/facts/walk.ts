/**
 * One statement's walk: the `Walker` every statement family calls through,
 * its state (a FactRecorder), and the bound on how deep it goes: each call
 * that descends into a nested query, FROM item, condition or expression
 * counts a level, and a statement deeper than `MAX_NESTING` levels is refused
 * with a FactsNestingError saying where, before the stack could overflow.
 */
import type { Node, SelectStmt, SubLink, WindowDef, WithClause } from '../../ingest/pg/ast.js';
import { nodeAs, tagOf, walkNodes } from '../../ingest/pg/nodes.js';
import type { JoinType, Place, QueryFacts, QueryKind, QueryTree } from '../model.js';
import type { Ctx, FromItem, KeyColumn, Names, Operand, Resolver, Walker } from './context.js';
import { FactsNestingError } from './errors.js';
import { walkExpression } from './expressions.js';
import { walkFromItem } from './from.js';
import { walkModify } from './modify.js';
import { walkCondition, walkOperand } from './predicates.js';
import { FactRecorder } from './recorder.js';
import type { Output, Scope } from './scope.js';
import { walkKeyColumn, walkSelect, walkWindowDef } from './select.js';
import { walkSublink, walkSubquery, walkWithClause } from './subqueries.js';

/**
 * Levels of nesting followed. Real statements stay far below it (the deepest
 * of the corpus's workloads, a TPC-DS query, needs 16); at about three times
 * as many the stack of a default Node.js process can run out.
 */
export const MAX_NESTING = 500;

const KINDS: Readonly<Record<string, QueryKind>> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/** How deep the walks of one statement are: shared with the walks of the view queries it reads through. */
export interface Nesting {
  depth: number;
}

/** Where a statement's parse tree comes from: its text, and what turns tree locations into offsets into it. */
export interface StatementSource {
  /** Added to a tree location to give a byte offset into `text`. */
  readonly base: number;
  readonly text?: string;
}

export class Walk implements Walker {
  readonly rec: FactRecorder;
  private nextId = 1;

  constructor(
    readonly x: Resolver,
    readonly names: Names,
    private readonly source: StatementSource = { base: 0 },
    private readonly nesting: Nesting = { depth: 0 },
  ) {
    this.rec = new FactRecorder(source.base);
  }

  /** The facts of a statement node. */
  run(stmt: Node): QueryFacts {
    const type = tagOf(stmt) ?? 'unknown';
    const kind = KINDS[type] ?? 'other';
    if (kind === 'select') this.select(nodeAs(stmt, 'SelectStmt'), undefined, 0, false, 'inner');
    else if (kind !== 'other') this.modify(stmt);
    return this.rec.facts(kind, type);
  }

  /** A view's query (a SelectStmt node): its output columns and the base tables it reads. */
  runQuery(stmt: Node): { out: Output; tablesRead: string[]; complete: boolean; tree?: QueryTree } {
    const out = this.select(nodeAs(stmt, 'SelectStmt'), undefined, 0, false, 'inner');
    const tree = this.rec.tree.build();
    return { out, tablesRead: [...this.rec.read].sort(), complete: this.rec.unknown.size === 0, ...(tree ? { tree } : {}) };
  }

  newId(): number {
    return this.nextId++;
  }

  // Each entry point below counts one level for the call it makes (an error
  // abandons the whole walk, so the count needs no unwinding).

  select(s: SelectStmt | undefined, parent: Scope | undefined, level: number, hideParentRels: boolean, corr: JoinType): Output {
    this.enter(s);
    const out = walkSelect(this, s, parent, level, hideParentRels, corr);
    this.nesting.depth--;
    return out;
  }

  fromItem(n: Node | undefined, scope: Scope): FromItem {
    this.enter(n);
    const item = walkFromItem(this, n, scope);
    this.nesting.depth--;
    return item;
  }

  pred(n: Node, ctx: Ctx): void {
    this.enter(n);
    walkCondition(this, n, ctx);
    this.nesting.depth--;
  }

  expr(n: Node | readonly Node[] | undefined, ctx: Ctx): void {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n as readonly Node[]) this.expr(x, ctx);
      return;
    }
    this.enter(n);
    walkExpression(this, n as Node, ctx);
    this.nesting.depth--;
  }

  sublink(s: SubLink, ctx: Ctx): Operand {
    this.enter(s);
    const o = walkSublink(this, s, ctx);
    this.nesting.depth--;
    return o;
  }

  modify(stmt: Node, parent?: Scope): number | undefined {
    this.enter(stmt);
    const level = walkModify(this, stmt, parent);
    this.nesting.depth--;
    return level;
  }

  // These descend through the counted ones above.

  selectNode(q: Node | undefined, scope: Scope, hide: boolean, corr: JoinType): { out: Output; correlated: boolean } {
    return walkSubquery(this, q, scope, hide, corr);
  }

  withClause(w: WithClause | undefined, scope: Scope): void {
    walkWithClause(this, w, scope);
  }

  operand(n: Node | undefined, ctx: Ctx): Operand {
    return walkOperand(this, n, ctx);
  }

  windowDef(w: WindowDef | undefined, scope: Scope): void {
    walkWindowDef(this, w, scope);
  }

  keyColumn(n: Node | undefined, scope: Scope, place: Place): KeyColumn {
    return walkKeyColumn(this, n, scope, place);
  }

  private enter(n: unknown): void {
    if (++this.nesting.depth <= MAX_NESTING) return;
    throw this.tooDeep(n);
  }

  /** The error for a construct that nests too deep, located at the first place under it the tree has. */
  private tooDeep(n: unknown): FactsNestingError {
    let first: number | undefined;
    walkNodes(n, (_tag, body) => {
      const loc = body.location;
      if (typeof loc === 'number' && loc >= 0 && (first === undefined || loc < first)) first = loc;
    });
    const { text, base } = this.source;
    if (first === undefined || text === undefined) return new FactsNestingError(MAX_NESTING);
    const before = Buffer.from(text, 'utf8')
      .subarray(0, first + base)
      .toString('utf8');
    const lines = before.split('\n');
    return new FactsNestingError(MAX_NESTING, before.length, { line: lines.length, column: lines[lines.length - 1].length + 1 });
  }
}
