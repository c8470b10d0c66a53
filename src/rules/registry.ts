/** Every rule check, sorted by id. Add new rules with scripts/new-rule.ts. */
import type { RuleModule } from './model.js';
// registry:imports:start
import FK01 from './FK01.js';
// registry:imports:end

export const registry: readonly RuleModule[] = [
  // registry:entries:start
  FK01,
  // registry:entries:end
];
