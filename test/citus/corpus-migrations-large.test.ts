/** Corpus migrations on the real cluster (corpus-migrations-suite.ts): the datasets of more than 60 tables. */
import { describeCorpusMigrations } from './corpus-migrations-suite.js';

describeCorpusMigrations('datasets of more than 60 tables', (tables) => tables > 60);
