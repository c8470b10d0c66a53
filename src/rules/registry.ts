/** Every rule check, sorted by id. Add new rules with scripts/new-rule.ts. */
import type { RuleModule } from './model.js';
// registry:imports:start
import FK01 from './FK01.js';
import FK02 from './FK02.js';
import FK03 from './FK03.js';
import FK04 from './FK04.js';
import FK05 from './FK05.js';
import FK06 from './FK06.js';
import FK07 from './FK07.js';
import FK08 from './FK08.js';
import UQ01 from './UQ01.js';
// registry:imports:end

export const registry: readonly RuleModule[] = [
  // registry:entries:start
  FK01,
  FK02,
  FK03,
  FK04,
  FK05,
  FK06,
  FK07,
  FK08,
  UQ01,
  // registry:entries:end
];
