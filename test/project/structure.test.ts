/**
 * The shape the codebase keeps: small modules, a typed parse tree, no import
 * cycles. Read from the sources themselves, so a change that breaks one of
 * these fails here with the file that breaks it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';

const SRC = join(repoRoot, 'src');
const MAX_LINES = 500;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

const files = sources(SRC);
const text = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
const rel = (f: string) => relative(repoRoot, f);

/** Code without comments and string contents, so that prose never counts as code. */
function codeOf(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
}

/** The modules of src/ a file imports at run time (`import type` is erased by the compiler and ties nothing at load). */
function importsOf(file: string): string[] {
  const out: string[] = [];
  for (const m of text.get(file)!.matchAll(/^\s*(import|export)(\s+type)?\b[^;]*?\bfrom\s+'(\.[^']+)'/gms)) {
    if (m[2]) continue;
    out.push(resolve(dirname(file), m[3].replace(/\.js$/, '.ts')));
  }
  return out.filter((p) => text.has(p));
}

describe('the codebase', () => {
  it(`has no file in src/ over ${MAX_LINES} lines`, () => {
    const long = files.map((f) => ({ file: rel(f), lines: text.get(f)!.split('\n').length - 1 })).filter((x) => x.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('types the parse tree: no `any` in src/', () => {
    const uses = files.flatMap((f) =>
      codeOf(text.get(f)!)
        .split('\n')
        .flatMap((line, i) => (/(?::\s*any\b|\bas\s+any\b|<any>|\bany\[\]|=\s*any\s*;)/.test(line) ? [`${rel(f)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(uses).toEqual([]);
  });

  it('has no import cycle in src/ (run-time imports)', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    // Tarjan's strongly connected components, iteratively: a component of two or more modules is a cycle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const cycles: string[][] = [];
    let next = 0;
    for (const root of files) {
      if (index.has(root)) continue;
      const work: Array<{ node: string; edge: number }> = [{ node: root, edge: 0 }];
      index.set(root, next);
      low.set(root, next++);
      stack.push(root);
      onStack.add(root);
      while (work.length) {
        const top = work[work.length - 1];
        const edges = graph.get(top.node)!;
        if (top.edge < edges.length) {
          const to = edges[top.edge++];
          if (!index.has(to)) {
            index.set(to, next);
            low.set(to, next++);
            stack.push(to);
            onStack.add(to);
            work.push({ node: to, edge: 0 });
          } else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!));
          continue;
        }
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1].node;
          low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
        }
        if (low.get(top.node) === index.get(top.node)) {
          const component: string[] = [];
          let n: string;
          do {
            n = stack.pop()!;
            onStack.delete(n);
            component.push(rel(n));
          } while (n !== top.node);
          if (component.length > 1) cycles.push(component.sort());
        }
      }
    }
    expect(cycles).toEqual([]);
  });
});
