/**
 * TypeResolver: a column's or domain's type, from its pg_type row and the
 * text format_type() prints, as the TypeRef the dump reader makes of it.
 */
import type { TypeRef } from '../../catalog/model.js';
import { isBuiltinType, isRangeType } from '../../catalog/types.js';
import { qualifiedKey, quoteIdent } from '../pg/index.js';
import type { Oid, TypeRow } from './catalog-queries.js';
import { typmodsOf } from './catalog-text.js';

export class TypeResolver {
  private readonly types: Map<Oid, TypeRow>;

  constructor(rows: TypeRow[]) {
    this.types = new Map(rows.map((t) => [t.oid, t]));
  }

  private isArray(t: TypeRow): boolean {
    return t.typelem !== '0' && t.typlen === -1 && t.typtype === 'b';
  }

  /** True for the types the dump reader defines itself (CREATE TYPE enum/range/composite, CREATE DOMAIN). */
  private known(t: TypeRow): boolean {
    if (t.nspname === 'pg_catalog' || t.ext) return false;
    return t.typtype === 'e' || t.typtype === 'd' || t.typtype === 'r' || (t.typtype === 'c' && t.relkind === 'c');
  }

  private key(t: TypeRow): string {
    return qualifiedKey(t.nspname, t.typname);
  }

  /** The dump reader's `base`: domains resolved, array element taken, internal name. */
  base(oid: Oid, display: string): string {
    let t = this.types.get(oid);
    for (let guard = 0; t && guard < 20; guard++) {
      if (t.typtype === 'd' && this.known(t)) t = this.types.get(t.typbasetype);
      else if (this.isArray(t)) t = this.types.get(t.typelem);
      else break;
    }
    if (!t) return stripType(display);
    return this.nameOf(t, display);
  }

  private nameOf(t: TypeRow, display: string): string {
    if (t.nspname === 'pg_catalog' && isBuiltinType(t.typname)) return t.typname;
    if (this.known(t)) return this.key(t);
    return stripType(display);
  }

  ref(oid: Oid, display: string): TypeRef {
    const t = this.types.get(oid);
    if (!t) return { display, name: stripType(display), typmods: [], arrayDims: 0, base: stripType(display), kind: 'unknown' };
    const array = this.isArray(t);
    const elem = array ? this.types.get(t.typelem) ?? t : t;
    const arrayDims = array ? 1 : 0;
    const typmods = typmodsOf(display);
    if (elem.nspname === 'pg_catalog' && isBuiltinType(elem.typname)) {
      return { display, name: elem.typname, typmods, arrayDims, base: elem.typname, kind: isRangeType(elem.typname) ? 'range' : 'base' };
    }
    if (this.known(elem)) {
      const key = this.key(elem);
      const shown = (elem.nspname === 'public' ? quoteIdent(elem.typname) : `${quoteIdent(elem.nspname)}.${quoteIdent(elem.typname)}`) + '[]'.repeat(arrayDims);
      const kind = elem.typtype === 'e' ? 'enum' : elem.typtype === 'd' ? 'domain' : elem.typtype === 'r' ? 'range' : 'composite';
      return { display: shown, name: key, typmods, arrayDims, base: this.base(elem.oid, display), kind };
    }
    // An extension's type, a base type made with CREATE TYPE, a table's row type: kept as printed.
    const name = stripType(display);
    return { display, name, typmods, arrayDims, base: name, kind: 'unknown' };
  }
}

/** `public.geometry(Point,4326)[]` -> `public.geometry`. */
function stripType(display: string): string {
  return display.replace(/\[\]/g, '').replace(/\(.*\)$/, '').replace(/"/g, '');
}
