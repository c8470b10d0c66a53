export * from './parser.js';
export * from './script.js';
export * from './source.js';
export * from './prepass.js';
export * from './names.js';
export * from './rewrite.js';
export * from './settings.js';
export * from './nodes.js';
