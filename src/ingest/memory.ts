/**
 * A run that reads a large volume of data (a dump's COPY rows, CSV files)
 * makes garbage faster than V8's default heap sizing collects it: a 1 GB
 * dump peaked near 580 MB of which ~80 MB were live. From then on the
 * process asks V8 to favour memory over speed (it collects sooner; about a
 * quarter more CPU on that input, and a peak under 300 MB).
 */
import { setFlagsFromString } from 'node:v8';

/** Data volumes above this many bytes make the run favour memory. */
export const FAVOUR_MEMORY_ABOVE_BYTES = 64 * 2 ** 20;

let favoured = false;

/** Favour memory over speed for the rest of the process when `bytes` of data are about to be read. */
export function favourMemoryFor(bytes: number): void {
  if (favoured || bytes <= FAVOUR_MEMORY_ABOVE_BYTES) return;
  favoured = true;
  setFlagsFromString('--optimize-for-size');
}
