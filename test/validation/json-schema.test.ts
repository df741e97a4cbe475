/**
 * expect_column_values_to_match_json_schema: each value parsed as JSON and checked against the
 * schema (ajv, loaded only when a suite has this expectation). Unparseable JSON does not match.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/validation/validate.js';

const dir = mkdtempSync(join(tmpdir(), 'mlvet-jsonschema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = ['{"a": 1}', '{"a": "x"}', '[1, 2]', 'not json', '{"a": 2, "b": true}'];
const csv = join(dir, 'd.csv');
writeFileSync(csv, 'id,doc\n' + rows.map((r, i) => `${i},"${r.replace(/"/g, '""')}"`).join('\n') + '\n');

describe('expect_column_values_to_match_json_schema', () => {
  it.each([
    // schema, unexpected rows (by index)
    [{ type: 'object' }, [2, 3]],
    [{ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] }, [1, 2, 3]],
    [{ type: 'array', items: { type: 'number' } }, [0, 1, 3, 4]],
    [{}, [3]],
  ])('%j: unexpected rows %j', async (schema, unexpected) => {
    const suite = join(dir, 's.json');
    writeFileSync(
      suite,
      JSON.stringify({
        name: 's',
        expectations: [
          {
            type: 'expect_column_values_to_match_json_schema',
            kwargs: { column: 'doc', json_schema: schema, result_format: 'COMPLETE' },
          },
        ],
      }),
    );
    const { validation } = await validate({ dataset: csv, suite });
    const r = validation.results[0]!;
    expect(r.success).toBe(unexpected.length === 0);
    expect(r.result.unexpected_index_list).toEqual(unexpected);
  });
});
