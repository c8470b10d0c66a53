export * from './model.js';
export * from './discover.js';
export * from './parse.js';
export * from './load.js';
export * from './rules.js';
