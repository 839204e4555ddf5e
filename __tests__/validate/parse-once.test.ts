import * as fs from 'fs';
import * as path from 'path';
import { parseResources } from '../../lib/validate/resource';
import { committedObjects, stringifyOnce } from '../support/files';
import { ROOT } from '../support/env';

// The test setup's shortcuts (jest.config.js, __tests__/support/parse-once.ts and files.ts) must give every
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
