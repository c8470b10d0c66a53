export * from './model.js';
export { planMigration } from './plan.js';
export { renderMigration, renderRollback, type RenderOptions } from './render.js';
