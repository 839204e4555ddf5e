import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { render, schemaDocument, SCHEMA_FILE } from '../../lib/synth/synthesize';
import { writeOutput } from '../../lib/synth/write';
import { committedEnvironment } from '../support/env';
import { committedEnvironmentFiles, PipelineProject } from '../support/pipeline';
import { readTree, Tree } from '../support/files';

/*
 * A fixed-seed corpus of mutations of the committed environment files, run
 * through the pipeline CI runs (synth, then validate and the checklist of every
 * environment). Whatever the mutation: synth never crashes (exit 0 or 1, no
 * stack trace, a failure names the file); what synth accepts, `npm run
 * validate` and the checklist accept; a failed synth leaves dist/ and the
 * published schema untouched.
 */

const SEED = 13;
const CASES = 150;

/** mulberry32: a small seeded PRNG, so the corpus is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES: unknown[] = [
  '', ' ', '0', '-1', '1', '2', '1e400', '64Pi', '512m', '0.5', '1Mi', '250m', '1Gi', '2Gi', '200mb', '9gb', 'latest', 'LATEST', 'HEAD', 'base', '..', '.',
  '../../other-team', 'a b', 'x'.repeat(300), 'a\u0000b', 'é', 'line\nbreak', 'kube-system', 'argocd', 'default', '999.999.999.999/99', '::/999', '10.0.0.0/8',
  '2001:db8::/32', '99 99 99 99 99', 'a b c d e', '0 3 * * 7', '@daily', '*/5 * * * *', '99999m', '75s', '5s', 'ghcr.io:443', 'ghcr.io:443/x/api', '-bad', 'Team_', 'a/b/c',
  'x'.repeat(64), 'https://example.com', 'redis://redis:6379/1', 'api.example.com', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`,
  '/path with space', '/ok?q=1', 'production', 'development', 'in-cluster', 'external', 'LoadBalancer', 'debug', 'trace', 'sha256:' + 'a'.repeat(64), 'yes', 'on',
  0, -1, 1, 2, 3, 7, 101, 1.5, 99999, true, false, null, {}, [], { a: 1 }, ['x'], ['10.0.0.0/8', '192.168.0.0/16'],
];
const MAP_KEYS = ['-bad', 'Team_', 'a/b/c', 'x'.repeat(64), 'team', 'example.com/owner', 'kubernetes.io/x', 'a'.repeat(254) + '/x', '', 'ok.key'];

type Mutation = { description: string; files: Record<string, string> };

/** Every leaf key path of an environment, with defaults filled in: the places a mutation can change. */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

function mutations(): Mutation[] {
  const rand = random(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const base = committedEnvironmentFiles();
  const names = Object.keys(base).sort();
  // Mostly the Kubernetes environments: validating a Compose folder runs docker-compose and shellcheck, which cost a second a case.
  const compose = names.filter((f) => /^target: compose$/m.test(base[f]));
  const fileToMutate = () => (compose.length > 0 && rand() < 0.1 ? pick(compose) : pick(names.filter((f) => !compose.includes(f))));
  const paths = Object.fromEntries(
    names.map((file) => {
      const { name: _name, file: _file, ...settings } = committedEnvironment(path.basename(file, '.yaml'));
      return [file, leafPaths(settings).filter((p) => p.length > 0)];
    }),
  );
  const edit = (file: string, change: (doc: ReturnType<typeof parseDocument>) => void) => {
    const doc = parseDocument(base[file]);
    change(doc);
    return doc.toString();
  };
  const operators: Array<[number, () => Mutation]> = [
    [
      10,
      () => {
        const file = fileToMutate();
        const at = pick(paths[file]);
        const value = pick(VALUES);
        return { description: `${file}: ${at.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}`, files: { ...base, [file]: edit(file, (d) => d.setIn(at, value)) } };
      },
    ],
    [
      3,
      () => {
        const file = fileToMutate();
        const at = pick(paths[file]);
        const cut = at.slice(0, 1 + Math.floor(rand() * at.length));
        return { description: `${file}: delete ${cut.join('.')}`, files: { ...base, [file]: edit(file, (d) => d.hasIn(cut) && d.deleteIn(cut)) } };
      },
    ],
    [
      4,
      () => {
        const file = fileToMutate();
        const map = pick(['labels', 'annotations', 'monitoring.selectorLabels', 'service.annotations', 'network.prometheusNamespace']).split('.');
        const key = pick(MAP_KEYS);
        const value = pick(VALUES);
        return { description: `${file}: ${map.join('.')}[${JSON.stringify(key).slice(0, 30)}] = ${JSON.stringify(value)?.slice(0, 30)}`, files: { ...base, [file]: edit(file, (d) => d.setIn([...map, key], value)) } };
      },
    ],
    [
      1,
      () => {
        const file = fileToMutate();
        const at = pick(paths[file]).slice(0, -1);
        return { description: `${file}: unknown key under ${at.join('.') || '(top)'}`, files: { ...base, [file]: edit(file, (d) => d.setIn([...at, 'unknownKey'], 1)) } };
      },
    ],
    [
      3,
      () => {
        const file = fileToMutate();
        const text = base[file];
        const kind = pick(['truncate', 'byte', 'duplicate line', 'tab', 'anchor', 'undefined alias', 'deep', 'huge', 'many aliases'] as const);
        const at = Math.floor(rand() * text.length);
        const lines = text.split('\n');
        const line = Math.floor(rand() * lines.length);
        const mutated = {
          truncate: () => text.slice(0, at),
          byte: () => text.slice(0, at) + pick(['\u00ff', '\u0000', '\t', '"', "'", '{', '[', ':', '&', '*', '!', '%', '@', '`']) + text.slice(at),
          'duplicate line': () => [...lines.slice(0, line + 1), ...lines.slice(line)].join('\n'),
          tab: () => [...lines.slice(0, line), `\t${lines[line]}`, ...lines.slice(line + 1)].join('\n'),
          anchor: () => `${text}labels: &l {team: search}\nannotations: *l\n`,
          'undefined alias': () => `${text}labels: *nowhere\n`,
          deep: () => `${text}annotations: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
          huge: () => `${text}annotations:\n${Array.from({ length: 20000 }, (_, i) => `  k${i}: v\n`).join('')}`,
          'many aliases': () => `${text}labels:\n  l0: &v search\n${Array.from({ length: 119 }, (_, i) => `  l${i + 1}: *v`).join('\n')}\n`,
        }[kind]();
        return { description: `${file}: text ${kind}`, files: { ...base, [file]: mutated } };
      },
    ],
    [
      2,
      () => {
        const file = fileToMutate();
        const name = pick(['Prod.yaml', 'a b.yaml', '.yaml', 'x..yaml', `${'x'.repeat(200)}.yaml`, 'x.yml', 'x.json', 'demo.YAML', 'argocd.yaml', `${'x'.repeat(49)}.yaml`, 'copy.yaml', 'qa.yaml']);
        const text = name === 'qa.yaml' ? base[file].replace(/^namespace: .*$/m, 'namespace: odoo-finder-qa') : base[file];
        return { description: `${file} also as ${name.slice(0, 40)}`, files: { ...base, [name]: text } };
      },
    ],
  ];
  const weights = operators.reduce((n, [w]) => n + w, 0);
  const out: Mutation[] = [];
  for (let i = 0; i < CASES; i++) {
    let r = rand() * weights;
    const operator = operators.find(([w]) => (r -= w) < 0) ?? operators[0];
    out.push(operator[1]());
  }
  return out;
}

const folderOf = (tree: Tree, folder: string) => Object.entries(tree).filter(([f]) => f.startsWith(`${folder}${path.sep}`));

test(`a corpus of ${CASES} mutations of the committed environment files (seed ${SEED}): no crash, no invalid output accepted, dist/ untouched on failure`, () => {
  const project = new PipelineProject();
  const outdir = path.join(project.root, 'dist');
  const schemaFile = path.join(project.root, SCHEMA_FILE);
  const baseline = render({ root: project.root });
  writeOutput({ outdir, folders: baseline, prune: true, published: { file: schemaFile, content: schemaDocument() } });
  const baselineTree = readTree(outdir);
  let before = baselineTree;
  const committed = committedEnvironmentFiles();
  const figures = { accepted: 0, refused: 0, warned: 0, validated: 0 };
  const baselineErrors = project.validateErrors();
  expect(baselineErrors).toEqual([]);
  try {
    for (const m of mutations()) {
      fs.rmSync(project.environmentsDir, { recursive: true, force: true });
      fs.mkdirSync(project.environmentsDir, { recursive: true });
      for (const [file, text] of Object.entries(m.files)) fs.writeFileSync(path.join(project.environmentsDir, file), text);
      const result = project.synth();
      expect([m.description, result.stderr]).not.toEqual([m.description, expect.stringMatching(/\n\s+at .*:\d+:\d+\)?$/m)]);
      if (result.code !== 0) {
        figures.refused++;
        expect([m.description, result.code]).toEqual([m.description, 1]);
        expect([m.description, result.stderr]).toEqual([m.description, expect.stringMatching(/config\/environments\/[^\n]*: /)]);
        expect([m.description, result.stderr]).toEqual([m.description, expect.stringContaining('Nothing was written: dist/ is unchanged.')]);
        expect([m.description, readTree(outdir)]).toEqual([m.description, before]);
        expect(fs.readFileSync(schemaFile, 'utf8')).toBe(schemaDocument());
        continue;
      }
      figures.accepted++;
      if (result.stderr.includes('warning:')) figures.warned++;
      // The baseline dist/ validates clean (checked above): validate the folders that differ from it, with dist/argocd/.
      const after = readTree(outdir);
      const folders = [...new Set(Object.keys(after).map((f) => f.split(path.sep)[0]))];
      const changed = folders.filter((f) => JSON.stringify(folderOf(after, f)) !== JSON.stringify(folderOf(baselineTree, f)));
      if (changed.length > 0) {
        figures.validated++;
        expect([m.description, project.validateErrors([...new Set([...changed, 'argocd'])].filter((f) => folders.includes(f)))]).toEqual([m.description, []]);
      }
      // The checklist of every environment whose file or output changed.
      const mutated = Object.keys(m.files).filter((f) => m.files[f] !== committed[f]).map((f) => path.basename(f, '.yaml'));
      for (const env of new Set([...mutated, ...changed.filter((f) => f !== 'argocd')])) {
        const checklist = project.checklist(env);
        expect([m.description, env, checklist.code, checklist.stdout.match(/^- \[ \] .* FAILED: .*$/gm)]).toEqual([m.description, env, 0, null]);
      }
      // The next case starts from this (validated) dist/: no need to write the baseline back.
      before = after;
    }
  } finally {
    project.dispose();
  }
  // Both outcomes are exercised; the report quotes these figures.
  expect(figures.accepted + figures.refused).toBe(CASES);
  expect(figures.accepted).toBeGreaterThanOrEqual(25);
  expect(figures.refused).toBeGreaterThanOrEqual(100);
  console.log(`mutation corpus (seed ${SEED}): ${CASES} cases, ${figures.accepted} accepted (validate and checklist clean; ${figures.validated} with a changed dist/, ${figures.warned} with a warning), ${figures.refused} refused with dist/ untouched`);
});
