/**
 * A fuzz worker: runs the cases it is sent one after another through the
 * CLI's entry point (exec.ts) and reports each result. The pool kills it
 * when a case runs too long or takes too much memory.
 */
import { loadParser } from '../../src/ingest/pg/parser.js';
import { runCase } from './exec.js';
import type { ChildMessage, WireCase } from './protocol.js';

function send(m: ChildMessage): void {
  process.send?.(m);
}

/** Heap left over by a case above which the child collects before the next one. */
const HEAP_COLLECT_BYTES = 256 * 1024 * 1024;

let current: string | undefined;
process.on('uncaughtException', (e) => {
  send({ type: 'fatal', id: current, error: `uncaught exception: ${e.stack ?? e.message}` });
  process.exit(70);
});
process.on('unhandledRejection', (e) => {
  send({ type: 'fatal', id: current, error: `unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
  process.exit(70);
});

process.on('message', (c: WireCase) => {
  current = c.id;
  void runCase(c).then((result) => {
    current = undefined;
    // A full collection after every case costs more than the case (it throws
    // away what the JIT has learnt): collect only when a case left a big heap.
    if (process.memoryUsage().heapUsed > HEAP_COLLECT_BYTES) (globalThis as { gc?: () => void }).gc?.();
    send({ type: 'result', result });
  });
});
process.on('disconnect', () => process.exit(0));

await loadParser();
send({ type: 'ready' });
