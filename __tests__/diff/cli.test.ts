import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/diff/cli';
import { DistRepo, objectIn, risksOf } from './dist-repo';

// What `npm run diff` compares with, what it compares, and how it reports.

const repo = DistRepo.forFile();

/** Runs `check` with origin/main at `commit`; removed after it (the other tests have no origin/main). */
function withOriginMain(commit: string, check: () => void): void {
  repo.git('update-ref', 'refs/remotes/origin/main', commit);
  try {
    check();
  } finally {
    repo.git('update-ref', '-d', 'refs/remotes/origin/main');
  }
}

const STAGING_CONFIG = 'config/environments/staging.yaml';
const bumpImage = () => fs.writeFileSync(path.join(repo.root, STAGING_CONFIG), fs.readFileSync(path.join(repo.root, STAGING_CONFIG), 'utf8').replace(/tag: "[^"]+"/, 'tag: "7.7.7"'));

test('by default the working tree is rendered from config/: a change not yet synthesized is reported', () => {
  bumpImage();
  const { code, stdout } = repo.run('--format', 'json', '--env', 'staging');
  expect(code).toBe(0);
  const report = JSON.parse(stdout);
  expect(report.head).toBe('the working tree (rendered from config/)');
  const deployment = objectIn(report, 'staging', 'Deployment', 'ai-odoo-finder');
  expect(risksOf(deployment, 'image')).toEqual([expect.stringMatching(/→ 7\.7\.7$/)]);
  expect(risksOf(deployment, 'rolls-pods')).toHaveLength(1);
  // dist/ on disk was not synthesized: compared as it is, nothing changed.
  expect(repo.report().folders).toEqual([]);
});

test('the base is the merge base with origin/main when there is one, else HEAD', () => {
  repo.edit('dist/staging/deployment-ai-odoo-finder.yaml', (d) => (d.metadata.labels.team = 'search'));
  repo.commit('a pull request');
  expect(repo.report().folders).toEqual([]); // against HEAD: committed, so no change
  withOriginMain(repo.base, () => {
    const report = repo.report();
    expect(report.base).toBe(`the merge base of HEAD and origin/main (${repo.base.slice(0, 7)})`);
    expect(objectIn(report, 'staging', 'Deployment', 'ai-odoo-finder').fields).toEqual([{ path: 'metadata.labels.team', after: 'search' }]);
    expect(repo.report('--base', 'HEAD').folders).toEqual([]);
  });
});

test('an origin/main without a common history (a shallow clone) is a clear error, not a silent comparison with HEAD', () => {
  const unrelated = repo.git('commit-tree', repo.git('mktree').trim(), '-m', 'unrelated').trim();
  withOriginMain(unrelated, () => {
    expect(repo.run('--head', 'dist')).toMatchObject({ code: 2, stderr: expect.stringContaining('HEAD and origin/main have no merge base here') });
  });
});

test('--env reports only those folders', () => {
  repo.edit('dist/staging/deployment-ai-odoo-finder.yaml', (d) => (d.metadata.labels.team = 'search'));
  repo.edit('dist/production/deployment-ai-odoo-finder.yaml', (d) => (d.metadata.labels.team = 'search'));
  expect(repo.report('--env', 'production').folders.map((f) => f.folder)).toEqual(['production']);
  expect(repo.report().folders.map((f) => f.folder)).toEqual(['production', 'staging']);
});

test('text: a summary line per folder, then each object with its risks, notes and fields', () => {
  repo.remove('dist/staging/service-redis.yaml');
  repo.edit('dist/staging/deployment-ai-odoo-finder.yaml', (d) => (d.spec.template.spec.containers[0].image = 'ghcr.io/ai-odoofinder/api:2.0.0'));
  const { stdout } = repo.run('--head', 'dist');
  const lines = stdout.split('\n');
  expect(lines[0]).toMatch(/^dist\/ of the working tree, against HEAD \([0-9a-f]{7}; there is no origin\/main\):$/);
  expect(lines).toContain('staging: 1 changed, 1 removed; rolls the pods, image change');
  expect(lines).toContain('  - Service odoo-finder-staging/redis  (dist/staging/service-redis.yaml)');
  expect(lines).toContain('      Argo CD: pruned by the next automatic sync of ai-odoo-finder-staging');
  expect(lines).toContainEqual(expect.stringMatching(/^ {6}! image change: container api: ghcr\.io\/ai-odoofinder\/api \S+ → 2\.0\.0$/));
  expect(lines).toContainEqual(expect.stringMatching(/^unchanged: argocd, (.+, )?production/));
});

test('markdown for a pull-request comment: a table, then a section per folder, open when it has risks', () => {
  repo.remove('dist/staging/networkpolicy-default-deny.yaml');
  const { stdout } = repo.run('--head', 'dist', '--format', 'markdown');
  expect(stdout).toContain('| folder | changed | added | removed | risks |');
  expect(stdout).toContain('| staging | 0 | 0 | 1 | ⚠️ security |');
  expect(stdout).toContain('<details open><summary><b>staging: 1 removed; security</b></summary>');
  expect(stdout).toContain('**removed: NetworkPolicy `odoo-finder-staging/default-deny`**');
  expect(stdout.trimEnd().endsWith('</details>')).toBe(true);
});

test('a version label changed on many objects is shown once for all of them', () => {
  const version = repo.read('dist/staging/deployment-ai-odoo-finder.yaml').metadata.labels['app.kubernetes.io/version'];
  for (const file of fs.readdirSync(path.join(repo.root, 'dist/staging'))) {
    repo.edit(`dist/staging/${file}`, (o) => {
      if (o.metadata.labels?.['app.kubernetes.io/version'] === version) o.metadata.labels['app.kubernetes.io/version'] = '9.9.9';
    });
  }
  const { stdout } = repo.run('--head', 'dist');
  const shared = stdout.split('\n').filter((l) => l.includes('app.kubernetes.io/version'));
  expect(shared).toEqual([expect.stringMatching(/^ {2}on \d+ objects: metadata\.labels\["app\.kubernetes\.io\/version"\]: /)]);
  expect(stdout).toMatch(/ {2}~ changed only as above: /);
});

test('what cannot be compared is a clear error, exit code 2', () => {
  expect(repo.run('--base', 'no-such-ref')).toMatchObject({ code: 2, stderr: expect.stringContaining('--base no-such-ref: no such commit') });
  expect(repo.run('--env', 'qa')).toMatchObject({ code: 2, stderr: expect.stringContaining('--env qa: no such folder in dist/') });
  expect(repo.run('--format', 'html')).toMatchObject({ code: 2, stderr: expect.stringContaining('--format html: use one of text, markdown, json') });
  repo.write('dist/staging/broken.yaml', 'kind: [');
  expect(repo.run('--head', 'dist')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^diff: head: dist\/staging\/broken\.yaml:1: /) });
  fs.writeFileSync(path.join(repo.root, STAGING_CONFIG), 'tier: nonsense\n');
  expect(repo.run()).toMatchObject({ code: 2, stderr: expect.stringContaining('the working tree does not synthesize: invalid configuration') });
});

test('outside a git repository it says so', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-finder-nogit-'));
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(main(['--head', 'dist'], dir)).toBe(2);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('has no commit to compare with'));
  } finally {
    error.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
