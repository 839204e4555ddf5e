import * as fs from 'fs';
import * as path from 'path';
import { checkProps } from '../../lib/props';
import { ROOT } from '../support/env';
import { WORKLOAD } from '../support/constructs';

describe('the props checks every construct shares (lib/props.ts)', () => {
  const check = () => checkProps('Demo', WORKLOAD);

  it('name the construct, the object and the prop', () => {
    expect(() => check().fail('replicas', 'is -1')).toThrow('Demo "demo": replicas is -1');
  });

  it('pass minimal valid workload props', () => {
    expect(() => check().workload(WORKLOAD)).not.toThrow();
  });

  it('refuse a workload whose pods lack a selector label (the API server refuses it too)', () => {
    expect(() => check().workload({ ...WORKLOAD, podLabels: { 'app.kubernetes.io/version': '1.0.0' } })).toThrow(
      `Demo "demo": podLabels lack the selector's app.kubernetes.io/name=demo`,
    );
  });

  it('refuse an empty selector, bad names and bad labels', () => {
    expect(() => check().workload({ ...WORKLOAD, selector: {} })).toThrow('Demo "demo": selector is empty');
    expect(() => check().object({ metadata: { name: 'Demo_1' } })).toThrow('Demo "demo": metadata.name is "Demo_1", not a Kubernetes name');
    expect(() => check().object({ metadata: { name: 'demo', labels: { team: 'a b' } } })).toThrow('Demo "demo": metadata.labels.team is "a b", not a label value');
    expect(() => check().object({ metadata: { name: 'demo', labels: { 'a b': 'x' } } })).toThrow('Demo "demo": metadata.labels has "a b", not a label key');
    expect(() => check().pods({ ...WORKLOAD, serviceAccountName: '' })).toThrow('Demo "demo": serviceAccountName is "", not a Kubernetes name');
  });

  it('check whole numbers within bounds and leave undefined to the default', () => {
    expect(() => check().integer('n', undefined, { min: 1 })).not.toThrow();
    expect(() => check().integer('n', 0, { min: 1 })).toThrow('Demo "demo": n is 0, not a whole number >= 1');
    expect(() => check().integer('n', 1.5, { min: 1, max: 3 })).toThrow('n is 1.5, not a whole number from 1 to 3');
  });
});

describe('every construct of lib/ has its own test', () => {
  /** lib/<path>.ts files that define a construct, as <path>. */
  function constructFiles(dir: string, prefix = ''): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(prefix, entry.name);
      if (entry.isDirectory()) return constructFiles(path.join(dir, entry.name), relative);
      const source = entry.name.endsWith('.ts') ? fs.readFileSync(path.join(dir, entry.name), 'utf8') : '';
      return /class \w+ extends Construct\b/.test(source) ? [relative.slice(0, -'.ts'.length)] : [];
    });
  }

  it('__tests__/constructs/<path>.test.ts for lib/<path>.ts, with a snapshot', () => {
    const files = constructFiles(path.join(ROOT, 'lib'));
    expect(files.length).toBeGreaterThanOrEqual(25);
    const missing = files.filter((f) => !fs.existsSync(path.join(__dirname, `${f}.test.ts`)));
    expect(missing).toEqual([]);
    const withoutSnapshot = files.filter((f) => !fs.readFileSync(path.join(__dirname, `${f}.test.ts`), 'utf8').includes('toMatchSnapshot()'));
    expect(withoutSnapshot).toEqual([]);
  });
});
