import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseResources } from '../../lib/validate/resource';
import { committedObjects, stringifyOnce } from '../support/files';
import { ROOT } from '../support/env';

// The test setup's shortcuts (jest.config.js: __tests__/support/parse-once.ts, schemas-once.ts; files.ts) must give every
// caller the answer it would get without them, and never one that another test changed.

const FILE = 'dist/staging/deployment-ai-odoo-finder.yaml';
const text = fs.readFileSync(path.join(ROOT, FILE), 'utf8');

test('parseResources read twice: equal answers, each its own copy', () => {
  const first = parseResources(FILE, 'staging', text);
  expect(first.resources).toHaveLength(1);
  const [deployment] = first.resources;
  const { spec } = deployment.object as { spec: { replicas?: number; template: { metadata: { labels: Record<string, string> } } } };
  spec.replicas = 99;
  spec.template.metadata.labels.changed = 'by a test';
  first.findings.push({ severity: 'error', rule: 'x', file: FILE, object: '-', path: [], message: 'added by a test' });

  const second = parseResources(FILE, 'staging', text);
  const fresh = jest.requireActual<typeof import('../../lib/validate/resource')>('../../lib/validate/resource').parseResources(FILE, 'staging', text);
  expect(second.resources.map((r) => r.object)).toEqual(fresh.resources.map((r) => r.object));
  expect(second.findings).toEqual(fresh.findings);
  expect(second.resources[0].lineOf(['spec', 'template'])).toBe(fresh.resources[0].lineOf(['spec', 'template']));
  expect((second.resources[0].object as { spec: { replicas?: number } }).spec.replicas).not.toBe(99);
});

test('parseResources is the reader itself for a text it has not seen', () => {
  const changed = text.replace(/^kind: Deployment$/m, 'kind: Deployment\nunknownField: 1');
  expect(parseResources(FILE, 'staging', changed).resources[0].object).toHaveProperty('unknownField', 1);
});

test('committedObjects: fresh copies of what the yaml package reads; stringifyOnce: what stringify writes', () => {
  const { parse, stringify } = jest.requireActual<typeof import('yaml')>('yaml');
  const first = committedObjects(ROOT, 'staging');
  const name = 'deployment-ai-odoo-finder.yaml';
  expect(first.get(name)).toEqual(parse(text));
  first.get(name)!.spec.replicas = 99;
  expect(committedObjects(ROOT, 'staging').get(name)).toEqual(parse(text));
  for (const object of [parse(text), { a: -0 }, { a: 0 }, { a: Number.NaN }, { a: null }, { a: Infinity }]) expect(stringifyOnce(object)).toBe(stringify(object));
});

test('SchemaStore of the project: one per worker (schemas-once.ts), with the answers of a new store; another root gets its own', () => {
  const { SchemaStore } = jest.requireMock<typeof import('../../lib/validate/schema/store')>('../../lib/validate/schema/store');
  const actual = jest.requireActual<typeof import('../../lib/validate/schema/store')>('../../lib/validate/schema/store');
  const shared = new SchemaStore(ROOT);
  expect(new SchemaStore(ROOT)).toBe(shared);
  const fresh = new actual.SchemaStore(ROOT);
  expect(fresh).not.toBe(shared);
  const [deployment] = parseResources(FILE, 'staging', text).resources;
  const broken = { ...deployment.object, spec: { ...(deployment.object.spec as object), replicas: 'two', unknownField: true } };
  for (const object of [deployment.object, broken]) {
    const [a, b] = [shared, fresh].map((store) => {
      const info = store.kind('apps/v1', 'Deployment');
      return info.found ? JSON.parse(JSON.stringify(info.validate(object))) : info.message;
    });
    expect(a).toEqual(b);
  }
  const info = fresh.kind('apps/v1', 'Deployment');
  expect(info.found && info.validate(broken).length).toBeGreaterThan(0);
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'schemas-'));
  try {
    fs.cpSync(path.join(ROOT, 'schemas'), path.join(other, 'schemas'), { recursive: true });
    expect(new SchemaStore(other)).not.toBe(shared);
  } finally {
    fs.rmSync(other, { recursive: true, force: true });
  }
});
