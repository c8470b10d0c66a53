/**
 * The YAML parser and the JSON Schema validator, loaded on first use: a run
 * that reads no YAML document (a cached plan, no configuration file) starts
 * without either, which is about a third of `lint`'s start-up. Both
 * packages ship CommonJS builds, so a synchronous require keeps their
 * callers synchronous.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Ajv, Options } from 'ajv';

const require = createRequire(import.meta.url);
let yaml: typeof Yaml | undefined;
let ajv: typeof Ajv | undefined;

/** The `yaml` package. */
export function yamlLib(): typeof Yaml {
  return (yaml ??= require('yaml') as typeof Yaml);
}

/** A new ajv instance with these options. */
export function newAjv(options: Options): Ajv {
  ajv ??= (require('ajv') as typeof import('ajv')).Ajv;
  return new ajv(options);
}
