/** Every rule table, in one list: `packs.test.ts` runs it and `meta.test.ts` checks it covers every rule. */
import type { RuleTests } from '../../helpers/rule-tester.js';
import { archiveTests } from './archive.js';
import { formatTests } from './formats.js';
import { hubTests } from './hub.js';
import { hydraTests } from './hydra.js';
import { kerasTests } from './keras.js';
import { lineageTests } from './lineage.js';
import { pickleTests } from './pickle.js';
import { validationTests } from './validation.js';
import { zipMethodTests } from './zip.js';

export const RULE_TESTS: readonly RuleTests[] = [...archiveTests, ...formatTests, ...hubTests, ...hydraTests, ...kerasTests, ...lineageTests, ...pickleTests, ...validationTests, ...zipMethodTests];
