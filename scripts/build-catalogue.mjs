/**
 * After `tsc -p tsconfig.build.json`: read and validate rules/*.yml once and
 * write dist/rules.catalogue.json, which `shardwise rules` reads instead of
 * parsing the YAML at every start (see src/rules/catalogue.ts). Plain
 * JavaScript over the build, so that building needs nothing but tsc and node.
 */
import { writeRuleCatalogue, CATALOGUE_PATH } from '../dist/rules/catalogue.js';
import { loadRuleDocs } from '../dist/rules/docs.js';
import { applyOptionDefaults, optionsValidator } from '../dist/rules/runner.js';

const docs = loadRuleDocs();
const ajv = optionsValidator();
writeRuleCatalogue(docs, (doc) => applyOptionDefaults(doc, {}, ajv));
process.stdout.write(`${docs.length} rules written to ${CATALOGUE_PATH.slice(CATALOGUE_PATH.lastIndexOf('dist'))}\n`);
