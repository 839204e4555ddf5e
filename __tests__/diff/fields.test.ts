import { diffValues } from '../../lib/diff/fields';
import { formatDiffPath } from '../../lib/diff/model';

const paths = (before: unknown, after: unknown) => diffValues(before as never, after as never).map((c) => formatDiffPath(c.path));

describe('diffValues', () => {
  test('equal values have no change', () => {
    expect(diffValues({ a: [1, { b: 'c' }] }, { a: [1, { b: 'c' }] })).toEqual([]);
  });

  test('a changed, an added and a removed key, with old and new values', () => {
    expect(diffValues({ a: 1, b: 2 }, { a: 3, c: 4 })).toEqual([
      { path: ['a'], before: 1, after: 3 },
      { path: ['b'], before: 2 },
      { path: ['c'], after: 4 },
    ]);
  });

  test('lists of named elements are matched by name: an insertion is one addition', () => {
    const before = { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] };
    const after = { env: [{ name: 'A', value: '1' }, { name: 'X', value: '9' }, { name: 'B', value: '3' }] };
    expect(paths(before, after)).toEqual(['env[name=B].value', 'env[name=X]']);
  });

  test('a reordered named list is a change (it changes a pod template hash)', () => {
    const changes = diffValues({ env: [{ name: 'A' }, { name: 'B' }] }, { env: [{ name: 'B' }, { name: 'A' }] });
    expect(changes).toEqual([{ path: ['env'], before: ['name=A', 'name=B'], after: ['name=B', 'name=A'] }]);
  });

  test('Prometheus rules by alert or record name; repeated names fall back to positions', () => {
    expect(paths({ rules: [{ record: 'r', expr: '1' }, { alert: 'A', expr: 'x > 1' }] }, { rules: [{ record: 'r', expr: '1' }, { alert: 'A', expr: 'x > 2' }] })).toEqual(['rules[alert=A].expr']);
    expect(paths({ l: [{ name: 'a', v: 1 }, { name: 'a', v: 2 }] }, { l: [{ name: 'a', v: 1 }, { name: 'a', v: 3 }] })).toEqual(['l[1].v']);
  });

  test('lists without identity: same length element by element, else an insertion is one addition', () => {
    expect(paths({ l: [{ g: 'a' }, { g: 'b' }] }, { l: [{ g: 'a' }, { g: 'c' }] })).toEqual(['l[1].g']);
    expect(paths({ l: ['a', 'b', 'c'] }, { l: ['a', 'x', 'b', 'c'] })).toEqual(['l[1]']);
    expect(diffValues({ l: ['a', 'b', 'c'] }, { l: ['a', 'c'] })).toEqual([{ path: ['l', 1], before: 'b' }]);
  });

  test('JSON held in a string (the Grafana dashboard) is compared as JSON', () => {
    const dashboard = (title: string) => JSON.stringify({ panels: [{ id: 1, title }] });
    expect(paths({ data: { 'd.json': dashboard('Latency') } }, { data: { 'd.json': dashboard('P95 latency') } })).toEqual(['data["d.json"].panels[0].title']);
  });

  test('multi-line strings also get the lines removed and added', () => {
    const [change] = diffValues({ script: 'set -e\npg_dump a\nexit 0\n' }, { script: 'set -e\npg_dump b\nexit 0\n' });
    expect(change).toMatchObject({ path: ['script'], lines: { removed: ['pg_dump a'], added: ['pg_dump b'] } });
  });
});

test('paths are written as a reviewer reads them', () => {
  expect(formatDiffPath(['spec', 'template', 'spec', 'containers', { key: 'name', value: 'api' }, 'image'])).toBe('spec.template.spec.containers[name=api].image');
  expect(formatDiffPath(['metadata', 'annotations', 'checksum/config'])).toBe('metadata.annotations["checksum/config"]');
  expect(formatDiffPath(['spec', 'rules', 0, { key: 'alert', value: 'A' }])).toBe('spec.rules[0][alert=A]');
});
