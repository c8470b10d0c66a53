export * from './model.js';
export { CitusCluster, DEFAULT_SETTINGS, parseVersion, type Outcome, type Version } from './cluster.js';
export { CitusError } from './errors.js';
export { checkForeignKey, type FkFacts, type FkSide, type FkContext } from './fk.js';
export { tableDataFromSchema } from './data.js';
export { simulateScript, runScript } from './simulate.js';
export { checkMigration } from './check-migration.js';
