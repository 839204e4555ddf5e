import { parseResources } from '../../lib/validate/resource';

describe('reading dist/ files', () => {
  it('reads every document of a file and knows the line of each field', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  KEY: v\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n';
    const { resources, findings } = parseResources('dist/x/f.yaml', 'x', text);
    expect(findings).toEqual([]);
    expect(resources.map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/a', 'ServiceAccount/b']);
    expect(resources[0].lineOf(['data', 'KEY'])).toBe(6);
    expect(resources[0].lineOf(['data', 'MISSING', 'deeper'])).toBe(5);
    expect(resources[1].lineOf(['metadata', 'name'])).toBe(11);
  });

  it('reports YAML errors (duplicate keys included) and documents that are not mappings', () => {
    const duplicate = parseResources('dist/x/f.yaml', 'x', 'kind: A\nkind: B\n');
    expect(duplicate.findings.map((f) => [f.rule, f.line, f.message])).toEqual([['yaml', 2, 'Map keys must be unique']]);
    const list = parseResources('dist/x/f.yaml', 'x', '- a\n- b\n');
    expect(list.findings.map((f) => [f.rule, f.line, f.message])).toEqual([['yaml', 1, 'a document must be a Kubernetes object (a YAML mapping)']]);
    expect(parseResources('dist/x/f.yaml', 'x', '---\n').findings).toEqual([]);
  });
});
