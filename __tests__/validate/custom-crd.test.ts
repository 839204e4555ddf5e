import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { ROOT } from '../support/env';
import { SchemaStore } from '../../lib/validate/schema/store';
import { validateFolder } from '../../lib/validate/validate';
import { summarize } from './fixtures';

/** A project whose only CRD is a made-up Widget, served as v1 and as deprecated v1beta1, cluster-scoped. */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-crd-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function widgetStore(): SchemaStore {
  fs.mkdirSync(path.join(root, 'schemas', 'crds'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'schemas', 'kubernetes'), path.join(root, 'schemas', 'kubernetes'));
  const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 } } } } } };
  fs.writeFileSync(
    path.join(root, 'schemas', 'crds', 'example.com_widgets.yaml'),
    stringify({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Cluster',
        versions: [
          { name: 'v1', served: true, storage: true, schema },
          { name: 'v1beta1', served: true, storage: false, deprecated: true, deprecationWarning: 'example.com/v1beta1 Widget is deprecated; use example.com/v1', schema },
        ],
      },
    }),
  );
  return new SchemaStore(root);
}

describe('a vendored CRD (how a new kind is added)', () => {
  const store = widgetStore();
  const check = (object: object) => summarize(validateFolder(store, 'test', [{ file: 'dist/test/widget.yaml', text: stringify(object) }], false));

  it('is found by group and kind, and validates objects; cluster-scoped kinds need no namespace', () => {
    expect(check({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 2 } })).toEqual([]);
    expect(check({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 0, colour: 'red' } })).toEqual([
      'schema Widget/w spec.size: error: must be >= 1 (got 0)',
      'schema Widget/w spec.colour: error: unknown field "colour"',
    ]);
  });

  it('warns about a deprecated version, with the CRD\'s own warning', () => {
    expect(check({ apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 2 } })).toEqual([
      'deprecated-api Widget/w apiVersion: warning: example.com/v1beta1 Widget is deprecated; use example.com/v1',
    ]);
  });

  it('rejects a version the CRD does not have', () => {
    expect(check({ apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'schema Widget/w apiVersion: error: Widget has no version v2 in schemas/crds/example.com_widgets.yaml (served: example.com/v1, example.com/v1beta1)',
    ]);
  });

  it('rejects a committed status', () => {
    expect(check({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 2 }, status: { ready: true } })).toEqual([
      'schema Widget/w status: error: status is written by the cluster: do not commit it',
    ]);
  });
});

describe('the vendored CRDs', () => {
  it('name the API group of a custom kind used under the wrong group', () => {
    const check = (object: object) => summarize(validateFolder(new SchemaStore(ROOT), 'test', [{ file: 'dist/test/x.yaml', text: stringify(object) }], false));
    expect(check({ apiVersion: 'monitoring.example.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm', namespace: 'shop' } })).toEqual([
      'schema ServiceMonitor/shop/m apiVersion: error: no schema for apiVersion monitoring.example.com/v1 kind ServiceMonitor in Kubernetes 1.28 or the vendored CRDs: ServiceMonitor exists as a custom resource of API group monitoring.coreos.com',
    ]);
  });

  it('may not define one kind twice', () => {
    const twice = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-twice-'));
    try {
      fs.mkdirSync(path.join(twice, 'schemas', 'crds'), { recursive: true });
      fs.symlinkSync(path.join(ROOT, 'schemas', 'kubernetes'), path.join(twice, 'schemas', 'kubernetes'));
      for (const copy of ['a.yaml', 'b.yaml']) fs.copyFileSync(path.join(ROOT, 'schemas', 'crds', 'monitoring.coreos.com_prometheusrules.yaml'), path.join(twice, 'schemas', 'crds', copy));
      expect(() => new SchemaStore(twice)).toThrow('schemas/crds: a.yaml and b.yaml both define PrometheusRule in monitoring.coreos.com: keep one');
    } finally {
      fs.rmSync(twice, { recursive: true, force: true });
    }
  });
});
