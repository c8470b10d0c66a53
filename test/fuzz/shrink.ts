/**
 * Shrinking a failing case to a minimal reproduction: delta debugging
 * (ddmin) over the lines of the broken file, then over its bytes, keeping
 * each smaller input that still fails the same way.
 */
import type { FuzzCase } from './cases.js';
import { judge, type FailureKind } from './oracle.js';
import type { Pool } from './pool.js';

export interface ShrinkOptions {
  /** Stop after this many runs. */
  readonly budget: number;
}

function withTarget(c: FuzzCase, bytes: Buffer): FuzzCase {
  return { ...c, files: { ...c.files, [c.target!]: bytes } };
}

/** ddmin over `units`, keeping the failure; returns the smallest list found. */
async function ddmin(units: Buffer[], fails: (units: Buffer[]) => Promise<boolean>, budget: { left: number }): Promise<Buffer[]> {
  let current = units;
  let n = 2;
  while (current.length >= 2 && budget.left > 0) {
    const size = Math.ceil(current.length / n);
    let reduced = false;
    for (let i = 0; i < n && budget.left > 0; i++) {
      const complement = [...current.slice(0, i * size), ...current.slice((i + 1) * size)];
      if (complement.length === current.length || !complement.length) continue;
      budget.left--;
      if (await fails(complement)) {
        current = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(current.length, n * 2);
    }
  }
  return current;
}

function splitLines(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (let nl = b.indexOf(0x0a); nl !== -1; nl = b.indexOf(0x0a, from)) {
    out.push(b.subarray(from, nl + 1));
    from = nl + 1;
  }
  if (from < b.length) out.push(b.subarray(from));
  return out;
}

function chunks(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

export async function shrinkCase(c: FuzzCase, kind: FailureKind, pool: Pool, options: ShrinkOptions): Promise<{ case: FuzzCase; runs: number }> {
  if (!c.target || !c.files[c.target]) return { case: c, runs: 0 };
  const budget = { left: options.budget };
  const fails = async (units: Buffer[]) => {
    const candidate = withTarget(c, Buffer.concat(units));
    const v = judge(candidate, await pool.run(candidate));
    return v.failure?.kind === kind;
  };
  let bytes = c.files[c.target];
  bytes = Buffer.concat(await ddmin(splitLines(bytes), fails, budget));
  // Long lines (giant identifiers, nesting): halve in chunks before single bytes.
  for (const size of [4096, 256, 16, 1]) {
    if (budget.left <= 0 || bytes.length / size > 4000) continue;
    bytes = Buffer.concat(await ddmin(chunks(bytes, size), fails, budget));
  }
  return { case: withTarget(c, bytes), runs: options.budget - budget.left };
}
