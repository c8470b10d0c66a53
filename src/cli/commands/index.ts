/** Every command, sorted by name. */
import type { Command } from '../io.js';
import { analyze } from './analyze.js';

export const commands: readonly Command[] = [analyze].sort((a, b) => a.name.localeCompare(b.name));
