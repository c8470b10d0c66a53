/**
 * Typed access to libpg_query parse trees. A `Node` is a one-key object whose
 * key names the node type (`{ RangeVar: {...} }`); these helpers read the
 * common shapes (names, constants, column references) without `any`, and walk
 * a tree iteratively, so that no input, however deeply nested, can exhaust the
 * call stack.
 */
import type { A_Const, ColumnRef, DefElem, Node, RangeVar, TypeName } from '@pgsql/types';

/** Every node type name: `'SelectStmt' | 'RangeVar' | ...`. */
export type NodeTag = Node extends infer U ? (U extends unknown ? keyof U : never) : never;

/** The body type of a node type: `NodeBody<'RangeVar'>` is `RangeVar`. */
export type NodeBody<K extends NodeTag> = Extract<Node, Record<K, unknown>> extends infer U
  ? U extends Record<K, infer B>
    ? B
    : never
  : never;

/** The type name of a node, or undefined for anything that is not a node. */
export function tagOf(n: Node | undefined | null): NodeTag | undefined {
  if (!n || typeof n !== 'object') return undefined;
  for (const k in n) return k as NodeTag;
  return undefined;
}

/** The body of a node when it has the given type. */
export function nodeAs<K extends NodeTag>(n: Node | undefined | null, tag: K): NodeBody<K> | undefined {
  if (!n || typeof n !== 'object') return undefined;
  return (n as Record<string, unknown>)[tag] as NodeBody<K> | undefined;
}

/** The body of a node, whatever its type, with its tag. */
export function unwrap(n: Node): { readonly tag: NodeTag; readonly body: Record<string, unknown> } | undefined {
  const tag = tagOf(n);
  return tag === undefined ? undefined : { tag, body: (n as unknown as Record<string, Record<string, unknown>>)[tag] };
}

/** Wrap a body as a node of the given type. */
export function makeNode<K extends NodeTag>(tag: K, body: NodeBody<K>): Node {
  return { [tag]: body } as unknown as Node;
}

/** The text of a `String` node (`''` for anything else). */
export function stringOf(n: Node | undefined | null): string {
  return nodeAs(n, 'String')?.sval ?? '';
}

/** The strings of a name list (`{String}` items), in order; other items are skipped. */
export function namesOf(list: readonly Node[] | undefined): string[] {
  const out: string[] = [];
  for (const n of list ?? []) {
    const s = nodeAs(n, 'String');
    if (s) out.push(s.sval ?? '');
  }
  return out;
}

/** A possibly qualified name from a name list: the last part is the name, the one before it the schema. */
export function qualifiedName(list: readonly Node[] | undefined): { readonly schema?: string; readonly name: string } {
  const parts = namesOf(list);
  const name = parts[parts.length - 1] ?? '';
  return parts.length >= 2 ? { schema: parts[parts.length - 2], name } : { name };
}

/** Schema and relation name of a RangeVar. */
export function rangeVarName(rv: RangeVar): { readonly schema?: string; readonly name: string } {
  return rv.schemaname ? { schema: rv.schemaname, name: rv.relname ?? '' } : { name: rv.relname ?? '' };
}

export type ConstKind = 'null' | 'integer' | 'float' | 'string' | 'boolean' | 'bitstring';

/** An `A_Const`'s kind and its text as PostgreSQL would print the literal's value. */
export function constValue(c: A_Const): { readonly kind: ConstKind; readonly text: string } {
  if (c.isnull) return { kind: 'null', text: 'NULL' };
  if (c.ival) return { kind: 'integer', text: String(c.ival.ival ?? 0) };
  if (c.fval) return { kind: 'float', text: String(c.fval.fval ?? '0') };
  if (c.sval) return { kind: 'string', text: c.sval.sval ?? '' };
  if (c.boolval) return { kind: 'boolean', text: c.boolval.boolval ? 'true' : 'false' };
  if (c.bsval) return { kind: 'bitstring', text: c.bsval.bsval ?? '' };
  // libpg_query omits zero and false: an A_Const with no value field is integer 0.
  return { kind: 'integer', text: '0' };
}

/** The fields of a column reference: names, with `'*'` for a star. */
export function columnRefFields(ref: ColumnRef): string[] {
  return (ref.fields ?? []).map((f) => (nodeAs(f, 'A_Star') ? '*' : stringOf(f)));
}

/** A type name's parts (`['pg_catalog', 'int4']`). */
export function typeNameParts(t: TypeName | undefined): string[] {
  return namesOf(t?.names);
}

/**
 * Visit every node under `root` (depth first, pre-order, children in field
 * order), iteratively. `visit` returns `false` to skip a node's children.
 * Plain arrays and objects between nodes are walked through.
 */
export function walkNodes(root: unknown, visit: (tag: NodeTag, body: Record<string, unknown>, node: Node) => boolean | void): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const cur = stack.pop();
    if (!cur || typeof cur !== 'object') continue;
    if (Array.isArray(cur)) {
      for (let i = cur.length - 1; i >= 0; i--) stack.push(cur[i]);
      continue;
    }
    const keys = Object.keys(cur);
    if (keys.length === 1 && /^[A-Z]/.test(keys[0])) {
      const body = (cur as Record<string, unknown>)[keys[0]];
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        if (visit(keys[0] as NodeTag, body as Record<string, unknown>, cur as Node) === false) continue;
        pushChildren(stack, body as Record<string, unknown>);
        continue;
      }
    }
    pushChildren(stack, cur as Record<string, unknown>);
  }
}

function pushChildren(stack: unknown[], obj: Record<string, unknown>): void {
  const vals = Object.values(obj);
  for (let i = vals.length - 1; i >= 0; i--) {
    const v = vals[i];
    if (v && typeof v === 'object') stack.push(v);
  }
}

/** True when some node under `root` satisfies `pred` (stops at the first). */
export function someNode(root: unknown, pred: (tag: NodeTag, body: Record<string, unknown>, node: Node) => boolean): boolean {
  let found = false;
  walkNodes(root, (tag, body, node) => {
    if (found) return false;
    if (pred(tag, body, node)) found = true;
    return !found;
  });
  return found;
}

/**
 * The name parts of an object as DROP, RENAME and ALTER ... SET SCHEMA give
 * it: a `List` of `String`s, a plain list of them, or one `String`; anything
 * else (a `TypeName`, an `ObjectWithArgs`) gives none.
 */
export function objectNames(obj: Node | Node[] | undefined): string[] {
  const list = Array.isArray(obj) ? obj : (nodeAs(obj, 'List')?.items ?? (nodeAs(obj, 'String') && obj ? [obj] : []));
  return namesOf(list).filter((s) => s !== '');
}

/** The `DefElem`s of an option list (`WITH (...)`, sequence and function options), in order. */
export function defElemsOf(list: readonly Node[] | undefined): DefElem[] {
  return nodesOf(list, 'DefElem');
}

/** The bodies of the nodes of one type in a list, in order; other items are skipped. */
export function nodesOf<K extends NodeTag>(list: readonly Node[] | undefined, tag: K): Array<NodeBody<K>> {
  const out: Array<NodeBody<K>> = [];
  for (const n of list ?? []) {
    const body = nodeAs(n, tag);
    if (body) out.push(body);
  }
  return out;
}
