import * as fs from 'fs';
import * as path from 'path';
import { environmentValidator, VALIDATOR_CACHE_DIR } from '../../lib/config/validator';

// Inside node_modules/.cache like the real cache, so that the compiled code finds ajv's runtime.
function tempCacheDir(): string {
  fs.mkdirSync(path.dirname(VALIDATOR_CACHE_DIR), { recursive: true });
  const dir = fs.mkdtempSync(`${VALIDATOR_CACHE_DIR}-test-`);
  created.push(dir);
  return dir;
}
const created: string[] = [];
afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const documents: unknown[] = [
  { tier: 'staging', namespace: 'ns', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' } },
  { tier: 'staging', namespace: 'ns', image: { repository: 'r', tag: '1' }, autoscaling: { minReplicas: 'two' }, bogus: 1 },
  { tier: 'qa', namespace: 'Not A Label', image: {} },
  {},
];

function outcome(validate: ReturnType<typeof environmentValidator>, doc: unknown) {
  const data = structuredClone(doc);
  const valid = validate(data);
  const errors = (validate.errors ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, params: e.params, message: e.message }));
  return { valid, data, errors };
}

test('the cached validator is written once, then reused, and behaves exactly like a fresh compile', () => {
  const cacheDir = tempCacheDir();
  const compiled = environmentValidator(cacheDir);
  const files = fs.readdirSync(cacheDir);
  expect(files).toEqual([expect.stringMatching(/^environment-[0-9a-f]{16}\.js$/)]);
  const fromCache = environmentValidator(cacheDir);
  expect(fromCache).not.toBe(compiled);
  for (const doc of documents) expect(outcome(fromCache, doc)).toEqual(outcome(compiled, doc));
  expect(outcome(fromCache, documents[0]).valid).toBe(true);
  expect(outcome(fromCache, documents[1]).errors.map((e) => e.keyword).sort()).toEqual(['additionalProperties', 'type']);
});

test('an unwritable cache only costs the speed-up', () => {
  const file = path.join(tempCacheDir(), 'not-a-dir');
  fs.writeFileSync(file, '');
  expect(outcome(environmentValidator(file), documents[0]).valid).toBe(true);
});
