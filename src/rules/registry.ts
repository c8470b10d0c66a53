/** Every rule check, sorted by id. Add new rules with scripts/new-rule.ts. */
import type { RuleModule } from './model.js';
// registry:imports:start
import DC01 from './DC01.js';
import DC02 from './DC02.js';
import DC03 from './DC03.js';
import DC04 from './DC04.js';
import DC05 from './DC05.js';
import DC06 from './DC06.js';
import DC07 from './DC07.js';
import DC08 from './DC08.js';
import FK01 from './FK01.js';
import FK02 from './FK02.js';
import FK03 from './FK03.js';
import FK04 from './FK04.js';
import FK05 from './FK05.js';
import FK06 from './FK06.js';
import FK07 from './FK07.js';
import FK08 from './FK08.js';
import ID01 from './ID01.js';
import ID02 from './ID02.js';
import MIG01 from './MIG01.js';
import MIG02 from './MIG02.js';
import MIG03 from './MIG03.js';
import SEQ01 from './SEQ01.js';
import SEQ02 from './SEQ02.js';
import TB01 from './TB01.js';
import TB02 from './TB02.js';
import TB03 from './TB03.js';
import TB04 from './TB04.js';
import TB05 from './TB05.js';
import TB06 from './TB06.js';
import TB07 from './TB07.js';
import TRG01 from './TRG01.js';
import UQ01 from './UQ01.js';
// registry:imports:end

export const registry: readonly RuleModule[] = [
  // registry:entries:start
  DC01,
  DC02,
  DC03,
  DC04,
  DC05,
  DC06,
  DC07,
  DC08,
  FK01,
  FK02,
  FK03,
  FK04,
  FK05,
  FK06,
  FK07,
  FK08,
  ID01,
  ID02,
  MIG01,
  MIG02,
  MIG03,
  SEQ01,
  SEQ02,
  TB01,
  TB02,
  TB03,
  TB04,
  TB05,
  TB06,
  TB07,
  TRG01,
  UQ01,
  // registry:entries:end
];
