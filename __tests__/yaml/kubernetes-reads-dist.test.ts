import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { kubernetesYamlReader } from '../support/kubernetes-yaml';
import { ROOT } from '../support/env';
import { missingToolMessage } from '../support/tools';

/**
 * Every committed dist/ file decodes, under Kubernetes' own reader
 * (sigs.k8s.io/yaml on go-yaml v2, built from Debian's sources), to exactly
 * the JSON our YAML 1.2 reader sees; and the Redis StatefulSet dist/ held
 * before issue 8 (`--appendonly yes`) did not. Skipped locally without Go; CI=true fails.
 */
const read = kubernetesYamlReader();
if (!read) console.warn(`kubernetes-reads-dist.test: ${missingToolMessage('kubernetesYaml', 'the checks against the real Kubernetes YAML reader are SKIPPED')}`);

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

/** What we read: the one document of a dist/ file, as JSON. */
function ours(file: string): unknown {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(docs) || docs.length !== 1) throw new Error(`${file}: expected one YAML document`);
  return JSON.parse(JSON.stringify(docs[0].toJS()));
}

(read ? describe : describe.skip)('Kubernetes reads dist/ as we do', () => {
  it('every committed dist/ file decodes to the same JSON, with no duplicate key', () => {
    const files = yamlFiles(path.join(ROOT, 'dist'));
    expect(files.length).toBeGreaterThan(50);
    const readings = read!(files);
    const differences = readings.filter((r) => r.error !== undefined || r.strictError !== undefined || JSON.stringify(sorted(r.json)) !== JSON.stringify(sorted(ours(r.file))));
    expect(differences.map((r) => `${path.relative(ROOT, r.file)}: ${r.error ?? r.strictError ?? 'decodes differently'}`)).toEqual([]);
  });

  it('the Redis StatefulSet of before issue 8 did not: its args held booleans for Kubernetes', () => {
    const file = path.join(__dirname, '..', 'validate', 'fixtures', 'before-issue-8', 'staging', 'statefulset-redis.yaml');
    const [reading] = read!([file]);
    const args = (json: unknown) => (json as { spec: { template: { spec: { containers: { args: unknown[] }[] } } } }).spec.template.spec.containers[0].args;
    expect(args(ours(file))).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--protected-mode', 'no']));
    expect(args(reading.json)).toEqual(['redis-server', '--port', '6379', '--dir', '/data', '--appendonly', true, '--protected-mode', false, '--maxmemory', '200mb', '--maxmemory-policy', 'allkeys-lru']);
  });
});

/** The same value with object keys sorted, so two JSON texts compare by content. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
  return value;
}
