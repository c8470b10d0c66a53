/**
 * Code attached to the schema: functions (volatility, language, whether they
 * return a trigger), triggers (cloned onto partitions, as PostgreSQL does
 * for row-level ones), row-level security policies and rules.
 */
import type { AlterObjectDependsStmt, CreateFunctionStmt, CreatePolicyStmt, CreateTrigStmt, RuleStmt } from '../ingest/pg/ast.js';
import { deparseNode, defElemsOf, listItems, namesOf, nodeAs, qualifiedKey, someNode, stringOf } from '../ingest/pg/index.js';
import type { BuildContext } from './context.js';
import { ruleDefinition } from './comments.js';
import type { FunctionDef, Trigger } from './model.js';
import { partitions } from './relocate.js';
import type { MTable } from './state.js';

const VOLATILITY: Record<string, FunctionDef['volatility']> = { immutable: 'immutable', stable: 'stable', volatile: 'volatile' };

export function createFunction(ctx: BuildContext, body: CreateFunctionStmt): boolean {
  const parts = namesOf(body.funcname);
  const key = parts.length > 1 ? qualifiedKey(parts[0], parts[1]) : qualifiedKey(ctx.creationSchema(), parts[0]);
  let volatility: FunctionDef['volatility'] = 'volatile';
  let language = 'sql';
  for (const d of defElemsOf(body.options)) {
    if (d.defname === 'volatility') volatility = VOLATILITY[stringOf(d.arg)] ?? volatility;
    if (d.defname === 'language') language = stringOf(d.arg);
  }
  const rt = namesOf(body.returnType?.names);
  const typeNames = [body.returnType, ...(body.parameters ?? []).map((p) => nodeAs(p, 'FunctionParameter')?.argType)];
  const rowTypes = [...new Set(typeNames.flatMap((t) => {
    const n = namesOf(t?.names);
    if (!n.length) return [];
    const k = ctx.resolveRelation(n.length > 1 ? n[n.length - 2] : undefined, n[n.length - 1]);
    return ctx.tables.has(k) ? [k] : [];
  }))].sort();
  const sql = ctx.statementText();
  const definition = rowTypes.length && sql ? sql.replace(/^CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\b/i, 'CREATE OR REPLACE $2') : undefined;
  ctx.functions.set(key, { key, volatility, language, returnsTrigger: rt[rt.length - 1] === 'trigger', location: ctx.here(), ...(rowTypes.length ? { rowTypes } : {}), ...(definition ? { definition } : {}) });
  return true;
}

/**
 * ALTER ... [NO] DEPENDS ON EXTENSION: a trigger's mark (its partitions'
 * clones are separate objects); other objects' dependencies have no
 * bearing on distribution.
 */
export function alterDepends(ctx: BuildContext, body: AlterObjectDependsStmt): boolean {
  if (body.objectType !== 'OBJECT_TRIGGER') return ctx.skip('AlterObjectDependsStmt', 'a dependency on an extension does not affect distribution');
  const t = ctx.tableOrSkip('AlterObjectDependsStmt', body.relation, 'triggers');
  if (!t) return false;
  const names = namesOf(listItems(body.object));
  const name = names[names.length - 1];
  const i = t.triggers.findIndex((x) => x.name === name);
  if (i < 0) return ctx.unknownObject(`trigger "${name}" for table "${t.name}" does not exist`);
  t.triggers[i] = { ...t.triggers[i], extensionDependent: !body.remove };
  return true;
}

export function createTrigger(ctx: BuildContext, body: CreateTrigStmt): boolean {
  const t = ctx.tableOrSkip('CreateTrigStmt', body.relation, 'triggers');
  if (!t) return false;
  const timingBits = body.timing ?? 0;
  const timing = timingBits & 2 ? 'before' : timingBits & 64 ? 'instead of' : 'after';
  const ev = body.events ?? 0;
  const events: Trigger['events'] = [];
  if (ev & 4) events.push('insert');
  if (ev & 8) events.push('delete');
  if (ev & 16) events.push('update');
  if (ev & 32) events.push('truncate');
  const name = body.trigname!;
  const trigger: Trigger = {
    name,
    timing,
    events,
    level: body.row ? 'row' : 'statement',
    function: namesOf(body.funcname).join('.'),
    constraint: !!body.isconstraint,
    location: ctx.here(),
  };
  const add = (on: MTable) => {
    if (body.replace) on.triggers = on.triggers.filter((x) => x.name !== name);
    on.triggers.push(trigger);
  };
  add(t);
  // PostgreSQL clones a row-level trigger of a partitioned table onto every partition.
  if (t.relkind === 'partitioned' && trigger.level === 'row') for (const p of partitions(ctx, t)) add(p);
  return true;
}

export function createPolicy(ctx: BuildContext, body: CreatePolicyStmt): boolean {
  const t = ctx.lookupTable(body.table);
  if (!t) return false;
  const hasSubquery = (n: CreatePolicyStmt['qual']) => someNode(n, (tag) => tag === 'SubLink');
  t.policies.push({
    name: body.policy_name!,
    command: body.cmd_name ?? 'all',
    using: body.qual ? deparseNode(body.qual) : undefined,
    check: body.with_check ? deparseNode(body.with_check) : undefined,
    hasSubquery: hasSubquery(body.qual) || hasSubquery(body.with_check),
    location: ctx.here(),
  });
  return true;
}

export function createRule(ctx: BuildContext, body: RuleStmt): boolean {
  const t = ctx.tableOrSkip('RuleStmt', body.relation, 'rules');
  if (t) {
    t.rules.push(body.rulename!);
    ctx.ruleDefinitions.push({ table: t.key, name: body.rulename!, sql: ruleDefinition(ctx, body, t.key) });
  }
  return !!t;
}
