/**
 * Shard pruning as Citus does it on what PostgreSQL's planner hands it
 * (TargetShardIntervalsForRestrictInfo, shard_pruning.c): each relation
 * instance is pruned by the restrictions on its distribution column at its
 * own planner level, `key = constant` there directly or through an
 * equivalence class (`a.key = b.key AND b.key = 5`), `key IN (...)` directly,
 * and constants PostgreSQL pushes down into a subquery that is not merged
 * (set_subquery_pathlist). A correlated subquery's `key = outer.col` is a
 * parameter at execution: it prunes nothing.
 */
import { colKey, outputColumns, type Equivalence } from './equivalence.js';
import type { Layout } from './layout.js';
import { joinType, pulledUp, sublinkJoin, isSimple } from './prep.js';
import { allQueries, leftmost, setLeaves, type Query, type TreeFilter } from './query.js';

/** What a relation instance is pruned to: every shard, constants of its key, an unbound parameter, or nothing. */
export type Pruned =
  | { readonly kind: 'all' }
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'param'; readonly count?: number }
  | { readonly kind: 'none' };

class UF {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let r = x;
    for (let p = this.parent.get(r); p !== undefined && p !== r; p = this.parent.get(r)) r = p;
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/** set_subquery_pathlist's subquery_is_pushdown_safe: a restriction on its output can move inside it. */
function pushdownSafe(q: Query): boolean {
  if (q.setOperation) return setLeaves(q).every(pushdownSafe);
  return !q.limit && !q.offset && !q.targetSrf && !q.windowFunctions && !q.groupingSets && !q.result;
}

/** The filters of each arm of one OR, by arm. */
interface OrGroup {
  readonly arms: number;
  /** The FROM items its filters name. */
  readonly rels?: Set<number>;
  readonly byArm: Map<number, Array<{ key: string; values?: readonly string[]; param: boolean }>>;
}

/** An OR that cannot prune. */
const MIXED: OrGroup = { arms: -1, byArm: new Map() };

function addOrArm(ors: Map<string, OrGroup>, id: string, f: TreeFilter): void {
  const or = f.or!;
  const g = ors.get(id) ?? { arms: or.arms, byArm: new Map(), rels: new Set<number>() };
  if (g === MIXED) return;
  ors.set(id, g);
  g.rels?.add(f.column.rel);
  if (f.value === 'expr' || (f.value === 'const' && !f.values?.length)) return;
  g.byArm.set(or.arm, [...(g.byArm.get(or.arm) ?? []), { key: colKey(f.column), ...(f.values ? { values: f.values } : {}), param: f.value === 'param' }]);
}

/**
 * An OR whose every arm pins one column (through equal columns too) to
 * constants or parameters prunes like the list of them (shard_pruning.c
 * prunes each arm of an OR on its own and keeps the union).
 */
function orLists(ors: ReadonlyMap<string, OrGroup>, root: (key: string) => string): Array<{ key: string; values?: readonly string[]; param: boolean; count?: number }> {
  const out: Array<{ key: string; values?: readonly string[]; param: boolean; count?: number }> = [];
  for (const g of ors.values()) {
    if (g.byArm.size !== g.arms || (g.rels?.size ?? 0) > 1) continue;
    const arms = [...g.byArm.values()];
    for (const cand of new Set(arms[0].map((x) => root(x.key)))) {
      const pins = arms.map((a) => a.filter((x) => root(x.key) === cand));
      if (pins.some((p) => !p.length)) continue;
      const all = pins.flat();
      const key = all[0].key;
      if (all.some((x) => x.param)) out.push({ key, param: true, count: arms.length });
      else out.push({ key, values: [...new Set(all.flatMap((x) => x.values ?? []))], param: false });
    }
  }
  return out;
}

/** Every hash-distributed relation instance under `root`, and what restrictions prune it to. */
export function pruneRelations(root: Query, layout: Layout, eq: Equivalence): Map<number, Pruned> {
  const out = new Map<number, Pruned>();
  const members = new Map<Query, Query[]>();
  for (const q of allQueries(root)) {
    const level = eq.levels.get(q) ?? q;
    members.set(level, [...(members.get(level) ?? []), q]);
  }
  // Constants pushed into a planner level from the one above: column key -> values.
  const injected = new Map<Query, Map<string, string[]>>();
  const order = [...members.keys()];
  for (const level of order) {
    const qs = members.get(level)!;
    const uf = new UF();
    const consts = new Map<string, Set<string>>();
    const addConst = (key: string, v: string) => consts.set(key, (consts.get(key) ?? new Set()).add(v));
    const params = new Set<string>();
    const inLists: Array<{ key: string; values?: readonly string[]; param: boolean; count?: number }> = [];
    const ors = new Map<string, OrGroup>();
    for (const q of qs) {
      for (const e of q.equalities) {
        if (e.underOr || e.negated) continue;
        if (e.clause === 'where' || (e.clause === 'on' && joinType(q, e.join) === 'inner')) {
          // A correlated equality names a column of another planner level: a parameter here.
          if (eq.levelOfRel(e.a.rel) !== level || eq.levelOfRel(e.b.rel) !== level) continue;
          uf.union(colKey(e.a), colKey(e.b));
        }
      }
      // An OR that names columns of several FROM items (or holds a subquery) is no restriction of one relation: it prunes nothing
      for (const x of [...q.equalities.filter((e) => e.a.rel !== e.b.rel), ...q.links, ...q.sublinks]) if (x.or) ors.set(`${q.id}:${x.or.group}`, MIXED);
      for (const f of q.filters) {
        if (f.or && !f.negated && (f.clause === 'where' || (f.clause === 'on' && joinType(q, f.join) === 'inner'))) addOrArm(ors, `${q.id}:${f.or.group}`, f);
        if (f.underOr || f.negated) continue;
        if (!(f.clause === 'where' || (f.clause === 'on' && joinType(q, f.join) === 'inner'))) continue;
        const key = colKey(f.column);
        const single = f.op === '=' || (f.values?.length === 1 && f.count === 1);
        if (single && f.value === 'const' && f.values?.length) addConst(key, f.values[0]);
        else if (single && f.value === 'param') params.add(key);
        else if (f.op === 'in' && f.value !== 'expr') inLists.push({ key, ...(f.values ? { values: f.values } : {}), param: f.value === 'param', ...(f.count !== undefined ? { count: f.count } : {}) });
      }
      for (const s of q.sublinks) {
        if (sublinkJoin(q, s) !== 'semi' || s.kind !== 'in' || !s.test) continue;
        s.test.forEach((t, i) => {
          if (!t) return;
          for (const o of outputColumns(s.query, i)) uf.union(colKey(t), colKey(o));
        });
      }
      // A merged subquery's columns are the columns it shows.
      for (const r of q.rels) {
        if (r.kind !== 'subquery' || !r.query || !pulledUp(r)) continue;
        r.query.outputs.forEach((o, i) => {
          const name = r.columns?.[i] ?? o.name;
          if (o.column) uf.union(colKey({ rel: r.id, column: name }), colKey(o.column));
        });
      }
    }
    inLists.push(...orLists(ors, (k) => uf.find(k)));
    for (const [key, vs] of injected.get(level) ?? []) for (const v of vs) addConst(key, v);
    const classConsts = new Map<string, Set<string>>();
    for (const [key, vs] of consts) {
      const r = uf.find(key);
      const set = classConsts.get(r) ?? new Set<string>();
      for (const v of vs) set.add(v);
      classConsts.set(r, set);
    }
    const classParams = new Set([...params].map((k) => uf.find(k)));
    // ContainsFalseClause: a constant FALSE restriction keeps no shard of the level's relations
    const none = qs.some((q) => q.falseWhere);
    for (const q of qs) {
      for (const r of q.rels) {
        if (r.kind !== 'table' || !layout.hash(r.table)) continue;
        if (none) {
          out.set(r.id, { kind: 'none' });
          continue;
        }
        const key = `${r.id}|${layout.column(r.table)}`;
        const root = uf.find(key);
        const cs = classConsts.get(root);
        if (cs?.size) {
          out.set(r.id, cs.size === 1 ? { kind: 'values', values: [...cs] } : { kind: 'none' });
          continue;
        }
        if (classParams.has(root)) {
          out.set(r.id, { kind: 'param' });
          continue;
        }
        const list = inLists.find((l) => uf.find(l.key) === root);
        if (list?.values?.length) out.set(r.id, { kind: 'values', values: [...new Set(list.values)] });
        else if (list?.param) out.set(r.id, { kind: 'param', ...(list.count !== undefined ? { count: list.count } : {}) });
        else out.set(r.id, { kind: 'all' });
      }
      // A constant on a FROM subquery's output moves into the subquery when that is safe.
      const inject = (values: Iterable<string>, sub: Query, i: number) => {
        if (!pushdownSafe(sub)) return;
        for (const o of outputColumns(sub, i)) {
          const target = eq.levelOfRel(o.rel);
          if (!target || target === level) continue;
          const m = injected.get(target) ?? new Map<string, string[]>();
          m.set(colKey(o), [...(m.get(colKey(o)) ?? []), ...values]);
          injected.set(target, m);
        }
      };
      for (const r of q.rels) {
        if (r.kind !== 'subquery' || !r.query || pulledUp(r)) continue;
        const names = r.columns ?? leftmost(r.query).outputs.map((o) => o.name);
        names.forEach((name, i) => {
          const cs = classConsts.get(uf.find(`${r.id}|${name}`));
          if (cs?.size) inject(cs, r.query!, i);
        });
      }
      for (const s of q.sublinks) {
        if (sublinkJoin(q, s) !== 'semi' || s.kind !== 'in' || !s.test || isSimple(s.query)) continue;
        // x IN (SELECT y ...) with x = constant: the semi join's equality carries it to y.
        s.test.forEach((t, i) => {
          const cs = t ? classConsts.get(uf.find(colKey(t))) : undefined;
          if (cs?.size) inject(cs, s.query, i);
        });
      }
    }
  }
  return out;
}
