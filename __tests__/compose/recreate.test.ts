import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMPOSE_FILES, NGINX_CONF_HASH_LABEL } from '../../lib/compose/constants';
import { renderComposeFolder } from '../../lib/compose/render';
import { STACK_VARIABLES } from '../../lib/compose/variables';
import { findTool, missingToolMessage } from '../support/tools';
import { composeEnvironment } from './support/scripts';

const compose = findTool('composeLibrary');
if (!compose) console.warn(`compose recreate.test: ${missingToolMessage('composeLibrary')}`);

/**
 * What decides whether `up -d` recreates a running container: docker-compose
 * 1.29's Service.config_hash (compose/service.py config_dict: the service's
 * options, image id, networks; compose/project.py _get_convergence_plans
 * compares it with the container's com.docker.compose.config-hash label).
 * Compose v2 does the same with the JSON of the service config
 * (docker/compose pkg/compose/hash.go ServiceHash). No Docker engine here,
 * so the image id is None, as for an image not pulled yet: equal for both files.
 */
const CONFIG_HASHES = [
  'import json, os, sys',
  'from unittest import mock',
  'from compose.config import config',
  'from compose.config.environment import Environment',
  'from compose.project import Project',
  'from compose.service import NoSuchImageError',
  'env_file, files = sys.argv[1], sys.argv[2:]',
  'out = []',
  'for f in files:',
  '    d = os.path.dirname(f)',
  '    data = config.load(config.find(d, [os.path.basename(f)], Environment.from_env_file(d, env_file)))',
  '    project = Project.from_config("recreate-test", data, mock.Mock(api_version="1.41"))',
  '    with mock.patch("compose.service.Service.image", side_effect=NoSuchImageError("not pulled")):',
  '        out.append({s.name: s.config_hash for s in project.services})',
  'print(json.dumps(out))',
].join('\n');

describe('a release that changes only nginx.conf recreates nginx', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-recreate-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const releases = () => {
    const before = renderComposeFolder(composeEnvironment({ ingress: { enabled: true, host: 'search.example.com', cors: { allowOrigins: ['https://a.example.com'] } } }));
    const after = renderComposeFolder(composeEnvironment({ ingress: { enabled: true, host: 'search.example.com', cors: { allowOrigins: ['https://b.example.com'] } } }));
    return { before, after };
  };

  test('the two releases differ in nginx.conf only, and the nginx service carries its hash', () => {
    const { before, after } = releases();
    const changed = [...before.keys()].filter((f) => before.get(f) !== after.get(f));
    expect(changed.sort()).toEqual([COMPOSE_FILES.compose, COMPOSE_FILES.nginx].sort());
    expect(before.get(COMPOSE_FILES.compose)).toContain(`${NGINX_CONF_HASH_LABEL}: `);
  });

  (compose ? test : test.skip)('docker-compose\'s own configuration hash changes for nginx, and for nginx only', () => {
    const { before, after } = releases();
    const envFile = path.join(dir, '.env');
    fs.writeFileSync(envFile, STACK_VARIABLES.map((v) => `${v.name}=${v.name === 'TLS_DIR' ? dir : 'placeholder'}\n`).join(''));
    // The same directory for both, as on a server: a release is copied over the previous one.
    const files = [before, after].map((release, i) => {
      const file = path.join(dir, `docker-compose-${i}.yml`);
      fs.writeFileSync(file, release.get(COMPOSE_FILES.compose)!);
      return file;
    });
    const result = spawnSync(compose!, ['-c', CONFIG_HASHES, envFile, ...files], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    const [old, fresh] = JSON.parse(result.stdout) as Record<string, string>[];
    expect(Object.keys(old).sort()).toEqual(['api', 'nginx', 'postgresql', 'redis']);
    expect(fresh.nginx).not.toBe(old.nginx);
    expect({ ...fresh, nginx: undefined }).toEqual({ ...old, nginx: undefined });
  });
});

/**
 * deploy.sh and rollback.sh find a service's containers by Compose's labels
 * (service_containers): the labels must be the ones docker-compose 1.29 puts
 * on the containers `up` makes (compose/service.py Service.labels), not a
 * one-off (`run`) container's.
 */
describe('the labels the scripts find a service\'s containers by', () => {
  (compose ? test : test.skip)('are those docker-compose 1.29 gives the containers up makes, not run\'s', () => {
    const script = renderComposeFolder(composeEnvironment()).get('deploy.sh')!;
    const body = /^service_containers\(\) \{\n([\s\S]*?)\n\}/m.exec(script)?.[1] ?? '';
    const filters = [...body.matchAll(/--filter ["']label=([^"']+)["']/g)].map((m) => m[1].replace('$PROJECT', 'odoo-finder-test').replace('$1', 'api'));
    const labels = spawnSync(compose!, ['-c', 'import json\nfrom compose.service import Service\ns = Service("api", project="odoo-finder-test")\nprint(json.dumps([s.labels(), s.labels(one_off=True)]))'], { encoding: 'utf8', timeout: 60_000 });
    expect(labels.stderr).toBe('');
    const [up, run] = JSON.parse(labels.stdout) as string[][];
    expect(filters.sort()).toEqual([...up].sort());
    expect(run.filter((l) => !filters.includes(l))).toEqual(['com.docker.compose.oneoff=True']);
  });
});
