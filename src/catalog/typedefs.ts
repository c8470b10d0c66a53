/**
 * Types the schema defines (enums, domains, composite and range types) and
 * the type of every column: a parse-tree type name resolved, as PostgreSQL
 * resolves it, to a type of the schema or a built-in one.
 */
import type { AlterEnumStmt, CompositeTypeStmt, CreateDomainStmt, CreateEnumStmt, CreateRangeStmt, TypeName } from '../ingest/pg/ast.js';
import { namesOf, nodeAs, objectNames, qualifiedKey, qualifiedName, rangeVarName } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import type { TypeDef, TypeRef } from './model.js';
import { canonicalBuiltin, formatBuiltin, isBuiltinType, isRangeType, userTypeRef } from './types.js';

const UNKNOWN_TYPE: TypeRef = { display: 'unknown', name: 'unknown', typmods: [], arrayDims: 0, base: 'unknown', kind: 'unknown' };

export function typeRef(ctx: BuildContext, tn: TypeName | undefined): TypeRef {
  if (!tn) return { ...UNKNOWN_TYPE, typmods: [] };
  const names = namesOf(tn.names);
  const typmods = (tn.typmods ?? []).map((m) => nodeAs(m, 'A_Const')?.ival?.ival ?? 0);
  const arrayDims = (tn.arrayBounds ?? []).length;
  const suffix = '[]'.repeat(arrayDims);
  const isCatalog = names.length === 2 && names[0] === 'pg_catalog';
  const last = names[names.length - 1];
  const userKey = isCatalog ? undefined : ctx.resolveTypeKey(names);
  if (userKey) return userTypeRef(ctx.types.get(userKey)!, typmods, arrayDims);
  const canonical = names.length === 1 || isCatalog ? canonicalBuiltin(last) : undefined;
  if (canonical && (isBuiltinType(canonical) || isCatalog)) {
    // `char` written bare (not "char") is character(1)
    const mods = canonical === 'bpchar' && typmods.length === 0 && isCatalog ? [1] : typmods;
    return {
      display: formatBuiltin(canonical, mods) + suffix,
      name: canonical,
      typmods: mods,
      arrayDims,
      base: canonical,
      kind: isRangeType(canonical) ? 'range' : 'base',
    };
  }
  // An extension's type or one the schema does not define: kept as written, bare
  // in `public` as format_type() prints it, with its modifiers as written
  // (`geometry(Polygon,4326)`: only the extension knows what they mean).
  const written = names.filter((n, i) => n !== 'pg_catalog' && !(i === 0 && names.length === 2 && n === 'public')).join('.');
  const mods = typmods.length ? `(${(tn.typmods ?? []).map((m) => typmodText(ctx, m)).join(',')})` : '';
  return { display: written + mods + suffix, name: written, typmods, arrayDims, base: written, kind: 'unknown' };
}

/** A type modifier as written: a number, a word (`Polygon`) or a string constant. */
function typmodText(ctx: BuildContext, m: Parameters<typeof nodeAs>[0]): string {
  const c = nodeAs(m, 'A_Const');
  if (c?.ival) return String(c.ival.ival ?? 0);
  if (c?.sval) return c.sval.sval ?? '';
  if (c) return '0';
  const ref = nodeAs(m, 'ColumnRef');
  if (ref) return ctx.spelledAt(ref.location, namesOf(ref.fields).join('.'));
  return '?';
}

function createType(ctx: BuildContext, name: { readonly schema?: string; readonly name: string }, kind: TypeDef['kind'], extra: Partial<TypeDef>): true {
  const schema = name.schema ?? ctx.creationSchema();
  const key = qualifiedKey(schema, name.name);
  ctx.types.set(key, { key, schema, name: name.name, kind, ...extra, location: ctx.here() });
  return true;
}

export function createEnum(ctx: BuildContext, body: CreateEnumStmt): boolean {
  return createType(ctx, qualifiedName(body.typeName), 'enum', { labels: namesOf(body.vals) });
}

export function createDomain(ctx: BuildContext, body: CreateDomainStmt): boolean {
  return createType(ctx, qualifiedName(body.domainname), 'domain', { baseType: typeRef(ctx, body.typeName) });
}

export function createCompositeType(ctx: BuildContext, body: CompositeTypeStmt): boolean {
  return createType(ctx, rangeVarName(body.typevar!), 'composite', {});
}

export function createRange(ctx: BuildContext, body: CreateRangeStmt): boolean {
  return createType(ctx, qualifiedName(body.typeName), 'range', {});
}

/** ALTER TYPE ... ADD VALUE [IF NOT EXISTS] [BEFORE | AFTER], ALTER TYPE ... RENAME VALUE. */
export function alterEnum(ctx: BuildContext, body: AlterEnumStmt): boolean {
  const names = objectNames(body.typeName);
  const key = ctx.resolveTypeKey(names);
  const def = key ? ctx.types.get(key) : undefined;
  if (!key || !def || def.kind !== 'enum') return ctx.unknownObject(`enum type "${names.join('.')}" does not exist at this point`);
  const labels = [...(def.labels ?? [])];
  const newVal = body.newVal ?? '';
  if (body.oldVal !== undefined) {
    const i = labels.indexOf(body.oldVal);
    if (i < 0) return ctx.unknownObject(`"${body.oldVal}" is not a label of enum type "${key}"`);
    labels[i] = newVal;
  } else {
    if (labels.includes(newVal)) return true; // IF NOT EXISTS (PostgreSQL refuses it otherwise)
    if (body.newValNeighbor !== undefined) {
      const i = labels.indexOf(body.newValNeighbor);
      if (i < 0) return ctx.unknownObject(`"${body.newValNeighbor}" is not a label of enum type "${key}"`);
      labels.splice(body.newValIsAfter ? i + 1 : i, 0, newVal);
    } else {
      labels.push(newVal);
    }
  }
  ctx.types.set(key, { ...def, labels });
  return true;
}
