// `node --import ./module-log.mjs …`: every module the process loads through the ES module loader
// (its own files, the packages it imports, Node's built-ins) is appended, one URL a line, to the
// file named by MLVET_MODULE_LOG. test/startup/bundle.test.ts reads it to see what a command loaded.
import { register } from 'node:module';

register('./module-log-hooks.mjs', import.meta.url);
