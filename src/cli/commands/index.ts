/** Every command, sorted by name. */
import type { Command } from '../io.js';
import { analyze } from './analyze.js';
import { simulate } from './simulate.js';
import { rules } from './rules.js';

export const commands: readonly Command[] = [analyze, rules].sort((a, b) => a.name.localeCompare(b.name));
