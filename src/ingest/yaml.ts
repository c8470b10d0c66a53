/**
 * Reading a YAML document the user wrote (.shardwise.yml, shardwise.plan.yaml)
 * with bounds: its size, how deep it nests, how far its aliases expand (an
 * alias bomb), aliases that name no anchor. Every problem is placed at its
 * line:column with a hint, never thrown as a bare parser error.
 */
import type { Document, Node } from 'yaml';
import { yamlLib } from './libs.js';

/** A configuration or design file is a few KB; a 969-table design is ~100 KB. */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;
/** Deeper than any document shardwise reads needs, shallow enough for every walk over it. */
export const MAX_YAML_DEPTH = 64;
/** YAML syntax errors reported: the first ones; the rest are counted. */
const MAX_YAML_ERRORS_SHOWN = 10;
/** Alias expansions allowed when the document becomes a value (the yaml package's own default). */
export const MAX_YAML_ALIASES = 100;

export interface YamlProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint: string;
}

export type YamlRead =
  | { readonly ok: true; readonly doc: Document; readonly value: unknown; readonly at: (offset: number) => { line: number; column: number } }
  | { readonly ok: false; readonly problems: YamlProblem[] };

/** Offset where flow collections (`[`, `{`) nest deeper than `limit`, outside quotes and comments; -1 if never. */
function tooDeep(text: string, limit: number): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = '';
      }
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '[' || c === '{') {
      if (++depth > limit) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '-' && (text[i + 1] === ' ' || text[i + 1] === '\n')) {
      // `- - - x` nests block sequences on one line
      let run = 0;
      for (let j = i; text[j] === '-' && text[j + 1] === ' '; j += 2) run++;
      const indent = i - text.lastIndexOf('\n', i) - 1;
      if (run + indent / 2 > limit) return i;
    }
  }
  return -1;
}

export function readYaml(text: string, kind: string): YamlRead {
  const { isAlias, LineCounter, parseDocument, visit } = yamlLib();
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (Buffer.byteLength(text) > MAX_YAML_BYTES) {
    return {
      ok: false,
      problems: [{ line: 1, column: 1, message: `${(Buffer.byteLength(text) / 2 ** 20).toFixed(1)} MB is larger than a ${kind} can be (${MAX_YAML_BYTES / 2 ** 20} MB)`, hint: `check that this is the ${kind} you meant to pass` }],
    };
  }
  const deep = tooDeep(text, MAX_YAML_DEPTH);
  const doc = parseDocument(deep >= 0 ? text.slice(0, deep) : text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (deep >= 0) {
    return { ok: false, problems: [{ ...at(deep), message: `nested more than ${MAX_YAML_DEPTH} levels deep`, hint: `a ${kind} nests a few levels; check the brackets and indentation here` }] };
  }
  if (doc.errors.length) {
    // The errors after the first few follow from them: thousands of lines would hide the hint.
    const shown = doc.errors.slice(0, MAX_YAML_ERRORS_SHOWN);
    const more = doc.errors.length - shown.length;
    return {
      ok: false,
      problems: shown.map((e, i) => {
        const first = e.message.split('\n')[0].replace(/\s+at line \d+, column \d+.*$/, '');
        const stack = /call stack/i.test(first);
        return {
          ...at(e.pos[0]),
          message: (stack ? `YAML nested too deeply to read` : `YAML: ${first}`) + (more > 0 && i === shown.length - 1 ? ` (and ${more} more YAML errors after this one)` : ''),
          hint: stack ? `a ${kind} nests a few levels; check the indentation and brackets` : 'check the indentation and quoting at this position',
        };
      }),
    };
  }
  const aliases: Array<{ source: string; offset: number }> = [];
  visit(doc, {
    Alias(_, node) {
      if (isAlias(node)) aliases.push({ source: node.source, offset: node.range?.[0] ?? 0 });
    },
  });
  try {
    return { ok: true, doc, value: doc.contents === null ? {} : doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }), at };
  } catch (e) {
    const message = (e as Error).message;
    const unresolved = /Unresolved alias.*?: (.*)$/.exec(message);
    if (unresolved) {
      const a = aliases.find((x) => x.source === unresolved[1]) ?? aliases[0];
      return { ok: false, problems: [{ ...at(a?.offset ?? 0), message: `alias *${unresolved[1]} names no anchor before it`, hint: `define &${unresolved[1]} before *${unresolved[1]}, or write the value out` }] };
    }
    if (/alias count/i.test(message)) {
      return {
        ok: false,
        problems: [
          {
            ...at(aliases[0]?.offset ?? 0),
            message: `aliases expand past the limit of ${MAX_YAML_ALIASES} (an alias bomb, or an alias used too often)`,
            hint: `a ${kind} needs no aliases: write the values out`,
          },
        ],
      };
    }
    if (e instanceof RangeError) return { ok: false, problems: [{ line: 1, column: 1, message: 'YAML nested too deeply to read', hint: `a ${kind} nests a few levels; check the indentation and brackets` }] };
    return { ok: false, problems: [{ line: 1, column: 1, message: `YAML: ${message.split('\n')[0]}`, hint: 'check the file' }] };
  }
}

/**
 * The nodes a JSON path (as a schema validator reports it) leads to in a
 * YAML document: the key of its last step and its value; where the path
 * leaves the document, the deepest node on the way.
 */
export function locateNode(doc: Document, path: ReadonlyArray<string | number>): { key?: Node; value?: Node } {
  const { isMap, isScalar, isSeq } = yamlLib();
  let cur: unknown = doc.contents;
  let key: Node | undefined;
  for (const seg of path) {
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { key, value: cur as Node };
      key = pair.key as Node;
      cur = pair.value ?? undefined;
    } else if (isSeq(cur)) {
      key = undefined;
      cur = cur.items[Number(seg)];
    } else break;
  }
  return { key, value: cur && typeof cur === 'object' && 'range' in cur ? (cur as Node) : undefined };
}
