/** Every command, sorted by name. */
import type { Command } from '../io.js';
import { analyze } from './analyze.js';
import { collect } from './collect.js';
import { lint } from './lint.js';
import { migrate } from './migrate.js';
import { simulate } from './simulate.js';
import { rules } from './rules.js';
import { verify } from './verify.js';

export const commands: readonly Command[] = [analyze, collect, lint, migrate, rules, simulate, verify].sort((a, b) => a.name.localeCompare(b.name));
