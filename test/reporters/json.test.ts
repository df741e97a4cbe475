/* eslint-disable @typescript-eslint/no-unsafe-member-access -- these tests walk parsed JSON documents */
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/reporters/json.js';
import { errorsOf, reportValidator } from '../schemas/validators.js';
import { kitchenSink } from './sample.js';

const validate = reportValidator();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const doc = (): Json => JSON.parse(renderJson(kitchenSink())) as Json;

describe('json report schema', () => {
  it('the JSON report validates against schemas/report.schema.json', () => {
    expect(validate(doc()), errorsOf(validate)).toBe(true);
  });

  it('later additions at the top level stay valid (the report may grow)', () => {
    expect(validate({ ...doc(), shard: { k: 1, n: 4 } })).toBe(true);
  });

  // the schema must bite: each mutation breaks one documented rule
  it.each<[string, (d: Json) => void, string]>([
    ['schemaVersion 2', (d) => (d.schemaVersion = 2), '/schemaVersion'],
    ['no summary', (d) => delete d.summary, '/'],
    ['unknown severity', (d) => (d.findings[0].severity = 'severe'), '/findings/0/severity'],
    ['bad fingerprint', (d) => (d.findings[0].fingerprint = 'md5:abc'), '/findings/0/fingerprint'],
    ['negative offset', (d) => (d.findings[0].location.offset = -1), '/findings/0/location/offset'],
    ['unknown location field', (d) => (d.findings[0].location.lineNo = 3), '/findings/0/location'],
    ['unknown finding field', (d) => (d.findings[0].extra = 1), '/findings/0'],
    [
      'suppression without reason',
      (d) => delete d.suppressed[0].suppression.reason,
      '/suppressed/0/suppression',
    ],
    ['suppressed without suppression', (d) => delete d.suppressed[0].suppression, '/suppressed/0'],
    ['lower-case inconclusive code', (d) => (d.inconclusive[0].code = 'truncated'), '/inconclusive/0/code'],
    ['createdAt not a date-time', (d) => (d.createdAt = 'yesterday'), '/createdAt'],
    ['negative count', (d) => (d.summary.high = -1), '/summary/high'],
  ])('rejects %s', (_name, mutate, path) => {
    const d = doc();
    mutate(d);
    expect(validate(d)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath || '/')).toContain(path);
  });
});
