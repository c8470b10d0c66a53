export * from './model.js';
export { CitusCluster, parseVersion, type Outcome, type Version } from './cluster.js';
export { DEFAULT_SETTINGS } from './shared-library-init.js';
export { CitusError } from './errors.js';
export { checkForeignKey, type FkFacts, type FkSide, type FkContext } from './foreign-constraint.js';
export { tableDataFromSchema } from './data.js';
export { simulateScript, runScript } from './simulate.js';
export { checkMigration, migrationModel } from './check-migration.js';
