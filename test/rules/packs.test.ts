/** Runs every rule table in `cases/` through the rule tester. */
import { runRuleTests } from '../helpers/rule-tester.js';
import { RULE_TESTS } from './cases/index.js';

runRuleTests(RULE_TESTS);
