import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { main as checklist } from '../../lib/checklist/cli';
import { CHECKLIST } from '../../lib/checklist/checklist';
import { COMPOSE_CHECKS } from '../../lib/checklist/compose-checks';
import { COMPOSE_FILES } from '../../lib/compose/constants';
import { renderComposeFolder } from '../../lib/compose/render';
import { toYaml } from '../../lib/yaml/writer';
import { render } from '../../lib/synth/synthesize';
import { fileMode } from '../../lib/synth/write';
import { formatFinding } from '../../lib/validate/finding';
import { checkComposeFiles } from '../../lib/validate/compose/check';
import { validateDist } from '../../lib/validate/validate';
import { kubernetesEnvironmentNames, ROOT } from '../support/env';
import { findTool, missingToolMessage } from '../support/tools';
import { schemaStore } from '../validate/fixtures';
import { TempProject } from '../validate/temp-project';
import { composeEnvironment } from './support/scripts';

const dockerCompose = findTool('dockerCompose');
const shellcheck = findTool('shellcheck');
if (!dockerCompose) console.warn(`compose validate.test: ${missingToolMessage('dockerCompose')}`);
if (!shellcheck) console.warn(`compose validate.test: ${missingToolMessage('shellcheck')}`);

/**
 * A project with one Compose environment "edge", synthesized; each test breaks one thing and reads the findings.
 * One project for every test, written afresh before each: at one path, docker-compose and shellcheck run once
 * on each distinct file (lib/validate/compose/consumers.ts remembers their answers by path and content).
 */
describe('npm run validate on a Compose environment', () => {
  let project: TempProject;
  let rendered: Map<string, string>;
  const dist = (file: string) => path.join(project.root, 'dist', 'edge', file);
  const read = (file: string) => fs.readFileSync(dist(file), 'utf8');
  const findings = () => validateDist(project.root, ['edge'], schemaStore()).findings;
  const rules = () => findings().map((f) => f.rule);
  const editCompose = (edit: (compose: { services: Record<string, Record<string, unknown>> }) => void) => {
    const compose = parse(read(COMPOSE_FILES.compose));
    edit(compose);
    // Written as synth writes YAML (quoted where YAML 1.1 would type otherwise: docker-compose 1.x reads `user: 0:0` as 0).
    fs.writeFileSync(dist(COMPOSE_FILES.compose), toYaml(compose));
  };

  beforeAll(() => {
    project = new TempProject();
    rendered = renderComposeFolder(composeEnvironment({ tier: 'production', namespace: 'odoo-finder-edge', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.4.2' }, ingress: { enabled: true, host: 'api.example.com' } }, 'edge'));
  });
  beforeEach(() => {
    project.remove('config');
    project.remove('dist');
    project.write('config/environments/edge.yaml', { tier: 'production', target: 'compose', namespace: 'odoo-finder-edge', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.4.2' }, ingress: { enabled: true, host: 'api.example.com' } });
    for (const [file, text] of rendered) {
      project.write(`dist/edge/${file}`, text);
      fs.chmodSync(dist(file), fileMode(file));
    }
  });
  afterAll(() => project.dispose());

  test('the rendered folder has no findings, and the real tools ran on it', () => {
    expect(findings().map(formatFinding)).toEqual([]);
  });

  test('the committed dist/local/ has no findings', () => {
    const report = validateDist(ROOT, ['local'], schemaStore());
    expect(report.findings.map(formatFinding)).toEqual([]);
    expect(report.files).toBe(Object.keys(COMPOSE_FILES).length);
  });

  test('the seed\'s mistakes are found: published database and Redis ports, an unpinned image, a build on the server', () => {
    editCompose((c) => {
      c.services.postgresql.ports = ['5432:5432'];
      c.services.redis.ports = ['6379:6379'];
      c.services.postgresql.image = 'ankane/pgvector:latest';
      delete c.services.api.image;
      c.services.api.build = { context: '.' };
    });
    const found = findings().filter((f) => f.file.endsWith(COMPOSE_FILES.compose));
    expect(found.filter((f) => f.rule === 'compose-published-port').map((f) => f.object)).toEqual(['service/postgresql', 'service/redis']);
    expect(found.filter((f) => f.rule === 'image-pinned').map((f) => f.message)).toEqual([
      expect.stringContaining('service "postgresql" image "ankane/pgvector:latest" uses the tag "latest"'),
      expect.stringContaining('service "api" has no image'),
    ]);
    expect(found.find((f) => f.rule === 'compose-published-port')?.line).toBeGreaterThan(1);
  });

  test('root, a writable root, privileges, no health check, no limits, no restart, a secret literal', () => {
    editCompose((c) => {
      c.services.api.user = '0:0';
      delete c.services.redis.user;
      c.services.api.read_only = false;
      c.services.api.cap_drop = [];
      c.services.nginx.security_opt = [];
      c.services.nginx.privileged = true;
      delete c.services.redis.healthcheck;
      delete c.services.redis.mem_limit;
      delete c.services.redis.cpus;
      delete c.services.redis.restart;
      (c.services.api.environment as Record<string, string>).OPENAI_API_KEY = 'sk-proj-abcdefghijklmnopqrstuvwx';
    });
    expect(rules().sort()).toEqual(
      // The literal key also leaves OPENAI_API_KEY of .env.example unused (compose-env-names).
      ['compose-cpu-limit', 'compose-env-names', 'compose-healthcheck', 'compose-non-root', 'compose-non-root', 'compose-privileges', 'compose-privileges', 'compose-privileges', 'compose-restart', 'memory-limit', 'read-only-root-fs', 'secret-literal'].sort(),
    );
  });

  test('.env.example with a value, or out of step with the Compose file', () => {
    fs.writeFileSync(dist(COMPOSE_FILES.envExample), read(COMPOSE_FILES.envExample).replace('OPENAI_API_KEY=', 'OPENAI_API_KEY=sk-live').replace('REDIS_PASSWORD=\n', ''));
    const found = findings();
    expect(found).toContainEqual(expect.objectContaining({ rule: 'env-example', message: 'OPENAI_API_KEY has a value: .env.example lists names only, never a value' }));
    expect(found).toContainEqual(expect.objectContaining({ rule: 'compose-env-names', message: 'REDIS_PASSWORD is used by docker-compose.yml but not listed' }));
    if (dockerCompose) {
      // docker-compose itself refuses: the variable .env.example forgot has no value.
      expect(found).toContainEqual(expect.objectContaining({ rule: 'compose-config', message: expect.stringContaining('REDIS_PASSWORD') }));
    }
  });

  (dockerCompose ? test : test.skip)('docker-compose config rejects what Compose would reject', () => {
    editCompose((c) => {
      c.services.api.healthcheck = { test: ['CMD', 'true'], interval: 'five seconds' };
      c.services.api.not_a_key = true;
    });
    const found = findings().filter((f) => f.rule === 'compose-config');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/not_a_key|interval/);
  });

  (shellcheck ? test : test.skip)('shellcheck findings in a script, with their lines', () => {
    fs.writeFileSync(dist(COMPOSE_FILES.deploy), read(COMPOSE_FILES.deploy).replace('main "$@"', 'cd $HERE\nmain "$@"'));
    const found = findings().filter((f) => f.rule === 'shellcheck');
    expect(found).toEqual([expect.objectContaining({ file: `dist/edge/${COMPOSE_FILES.deploy}`, line: expect.any(Number), message: expect.stringContaining('SC2086') })]);
  });

  test('nginx.conf out of step with the nginx service\'s hash label (or no label: Compose would not recreate nginx)', () => {
    // The checks on the files' text only: no docker-compose run for this one.
    const hashFindings = (edit: (files: Map<string, string>) => void) => {
      const files = new Map(rendered);
      edit(files);
      return checkComposeFiles('edge', files, () => true).filter((f) => f.rule === 'compose-nginx-conf-hash');
    };
    expect(hashFindings(() => undefined)).toEqual([]);
    expect(hashFindings((files) => files.set(COMPOSE_FILES.nginx, files.get(COMPOSE_FILES.nginx)!.replace('limit_req_status 503;', 'limit_req_status 429;')))).toEqual([
      expect.objectContaining({ object: 'service/nginx', line: expect.any(Number), message: expect.stringContaining('not the SHA-256 of nginx.conf') }),
    ]);
    // The output before the label existed.
    expect(hashFindings((files) => files.set(COMPOSE_FILES.compose, files.get(COMPOSE_FILES.compose)!.replace(/\n {4}labels:\n {6}odoo-finder\.nginx-conf-sha256: \w+/, '')))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('is missing') }),
    ]);
  });

  test('a missing file, a stray file, a script that is not executable', () => {
    fs.rmSync(dist(COMPOSE_FILES.nginx));
    fs.writeFileSync(dist('notes.txt'), 'x');
    fs.chmodSync(dist(COMPOSE_FILES.rollback), 0o644);
    expect(findings().filter((f) => f.rule === 'compose-files').map((f) => `${f.severity} ${f.file}: ${f.message}`)).toEqual([
      `error dist/edge/${COMPOSE_FILES.nginx}: missing: run npm run synth`,
      'warning dist/edge/notes.txt: not a file of a Compose environment: deploy.sh does not use it',
      `error dist/edge/${COMPOSE_FILES.rollback}: not executable (mode 755 expected)`,
    ]);
  });

  test('an Argo CD Application pointing at a Compose folder is an error', () => {
    project.write('dist/argocd/application-edge.yaml', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'edge', namespace: 'argocd' },
      spec: { project: 'default', source: { repoURL: 'https://example.com/r.git', path: 'dist/edge', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'x' } },
    });
    const found = validateDist(project.root, undefined, schemaStore()).findings.filter((f) => f.rule === 'argocd-compose');
    expect(found).toEqual([expect.objectContaining({ file: 'dist/argocd/application-edge.yaml', message: expect.stringContaining('deploy it with its deploy.sh, not Argo CD') })]);
  });
});

describe('synth and Argo CD', () => {
  test('a Compose environment gets no Argo CD Application and no place in the AppProject', () => {
    const argocd = render({ root: ROOT }).get('argocd')!;
    const applications = [...argocd.keys()].filter((f) => f.startsWith('application-'));
    const ofKubernetes = (file: string) => kubernetesEnvironmentNames().some((env) => [`application-ai-odoo-finder-${env}.yaml`, `application-ai-odoo-finder-${env}-cron.yaml`].includes(file));
    expect(applications.length).toBeGreaterThanOrEqual(kubernetesEnvironmentNames().length);
    expect(applications.filter((f) => !ofKubernetes(f))).toEqual([]);
    expect([...argocd.values()].join('\n')).not.toContain('odoo-finder-local');
  });

  test('deploy.sh and rollback.sh are written executable', () => {
    expect(fs.statSync(path.join(ROOT, 'dist', 'local', COMPOSE_FILES.deploy)).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(ROOT, 'dist', 'local', COMPOSE_FILES.envExample)).mode & 0o777).toBe(0o644);
  });
});

describe('npm run checklist on a Compose environment', () => {
  test('every Compose check answers an item of the seed\'s checklist', () => {
    const texts = CHECKLIST.flatMap((s) => s.items.map((i) => i.text));
    expect(Object.keys(COMPOSE_CHECKS).length).toBeGreaterThan(15);
    for (const text of Object.keys(COMPOSE_CHECKS)) expect(texts).toContain(text);
  });

  test('the committed local environment passes every automatic item', () => {
    let out = '';
    expect(checklist(['--env', 'local'], ROOT, (s) => (out += s), () => undefined)).toBe(0);
    expect(out).toContain('### Docker Compose');
    expect(out).not.toContain('### Kubernetes');
    expect(out).toContain('- [x] Only nginx publishes ports');
    expect(out).toMatch(/\d+ checked automatically, 0 failed/);
  });

  /** `npm run checklist -- --env local` on a copy of the project whose Compose file `change` edited: exit code and output. */
  function checklistOfChangedCompose(change: (compose: { services: Record<string, Record<string, unknown>> }) => void): { code: number; out: string } {
    const root = fs.mkdtempSync(path.join(require('os').tmpdir(), 'checklist-compose-'));
    try {
      fs.cpSync(path.join(ROOT, 'config'), path.join(root, 'config'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'docs'), path.join(root, 'docs'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'dist', 'local'), path.join(root, 'dist', 'local'), { recursive: true });
      const file = path.join(root, 'dist', 'local', COMPOSE_FILES.compose);
      const compose = parse(fs.readFileSync(file, 'utf8'));
      change(compose);
      fs.writeFileSync(file, toYaml(compose));
      let out = '';
      const code = checklist(['--env', 'local'], root, (s) => (out += s), () => undefined);
      return { code, out };
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  test('an image whose name does not say pgvector is left to a person, not failed', () => {
    const { code, out } = checklistOfChangedCompose((c) => (c.services.postgresql.image = 'registry.example.com/team/pg16-vector:1.0'));
    expect(out).toContain('registry.example.com/team/pg16-vector:1.0: its name does not say pgvector; confirm that it ships the extension');
    expect(code).toBe(0);
  });

  test('a published database port fails its item', () => {
    const { code, out } = checklistOfChangedCompose((c) => (c.services.postgresql.ports = ['5432:5432']));
    expect(code).toBe(1);
    expect(out).toContain('- [ ] Only nginx publishes ports (PostgreSQL and Redis are never reachable from outside) — FAILED: service/postgresql services.postgresql.ports: service "postgresql" publishes ports on the host: only nginx may (the others are reached over the stack\'s network) (compose-published-port)');
  });
});
