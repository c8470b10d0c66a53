/** Corpus migrations on the real cluster (corpus-migrations-suite.ts): the datasets of at most 60 tables. */
import { describeCorpusMigrations } from './corpus-migrations-suite.js';

describeCorpusMigrations('datasets of at most 60 tables', (tables) => tables <= 60);
