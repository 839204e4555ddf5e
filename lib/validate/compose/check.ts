import * as fs from 'fs';
import * as path from 'path';
import { nginxConfSha256 } from '../../compose/compose-file';
import { COMPOSE_FILES, NGINX_CONF_HASH_LABEL } from '../../compose/constants';
import { get } from '../access';
import { referencedVariables } from '../../compose/variables';
import { Finding, sortFindings } from '../finding';
import { parseResources } from '../resource';
import { checkWithDockerCompose, checkWithShellcheck } from './consumers';
import { checkComposeServices } from './services';

const SCRIPTS: readonly string[] = [COMPOSE_FILES.deploy, COMPOSE_FILES.rollback];

/** `NAME=` with nothing after it: the only line .env.example may have besides comments and blank lines. */
const NAME_ONLY = /^[A-Za-z_][A-Za-z0-9_]*=$/;

/**
 * Every finding about the folder of a `target: compose` environment
 * (`dist/<name>/`): its files, the Compose file's services, .env.example,
 * and what docker-compose and shellcheck say.
 */
export function checkComposeFolder(root: string, name: string): { findings: Finding[]; files: number } {
  const folder = path.join(root, 'dist', name);
  const present = fs.readdirSync(folder).sort();
  const files = new Map(present.map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8')] as const));
  const executable = (file: string) => (fs.statSync(path.join(folder, file)).mode & 0o111) !== 0;
  const findings = checkComposeFiles(name, files, executable);
  const shown = (file: string) => `dist/${name}/${file}`;
  if (files.has(COMPOSE_FILES.compose)) {
    findings.push(...checkWithDockerCompose(path.join(folder, COMPOSE_FILES.compose), shown(COMPOSE_FILES.compose), name, envExampleNames(files.get(COMPOSE_FILES.envExample))));
  }
  findings.push(...checkWithShellcheck(SCRIPTS.filter((f) => files.has(f)).map((f) => ({ file: path.join(folder, f), shownAs: shown(f) }))));
  return { findings: sortFindings(findings), files: present.length };
}

/** The names `.env.example` lists (its `NAME=` lines). */
function envExampleNames(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((line) => NAME_ONLY.test(line)).map((line) => line.slice(0, -1));
}

/**
 * The checks of a Compose folder that need only its files' text (no tool):
 * which files are there, the Compose file's services, .env.example and the
 * variables both name. `npm run validate` adds docker-compose and shellcheck;
 * the checklist runs these once.
 */
export function checkComposeFiles(name: string, files: ReadonlyMap<string, string>, executable: (file: string) => boolean): Finding[] {
  const shown = (file: string) => `dist/${name}/${file}`;
  const findings: Finding[] = [];
  const fileFinding = (file: string, rule: string, message: string, line?: number, severity: 'error' | 'warning' = 'error'): Finding => ({
    severity,
    rule,
    file: shown(file),
    line,
    object: '-',
    path: [],
    message,
  });

  const present = [...files.keys()].sort();
  const expected: string[] = Object.values(COMPOSE_FILES);
  for (const file of expected.filter((f) => !present.includes(f))) findings.push(fileFinding(file, 'compose-files', 'missing: run npm run synth'));
  for (const file of present.filter((f) => !expected.includes(f))) findings.push(fileFinding(file, 'compose-files', 'not a file of a Compose environment: deploy.sh does not use it', undefined, 'warning'));
  for (const script of SCRIPTS.filter((f) => present.includes(f))) {
    if (!executable(script)) findings.push(fileFinding(script, 'compose-files', 'not executable (mode 755 expected)'));
  }

  const envText = files.get(COMPOSE_FILES.envExample);
  const names = envExampleNames(envText);
  envText?.split('\n').forEach((line, index) => {
    if (line.trim() === '' || line.startsWith('#') || NAME_ONLY.test(line)) return;
    findings.push(fileFinding(COMPOSE_FILES.envExample, 'env-example', /^[A-Za-z_][A-Za-z0-9_]*=/.test(line) ? `${line.split('=')[0]} has a value: .env.example lists names only, never a value` : `not "NAME=": ${JSON.stringify(line)}`, index + 1));
  });

  const composeText = files.get(COMPOSE_FILES.compose);
  if (composeText !== undefined) {
    const parsed = parseResources(shown(COMPOSE_FILES.compose), name, composeText);
    findings.push(...parsed.findings);
    if (parsed.resources.length === 1) {
      findings.push(...checkComposeServices(parsed.resources[0]));
      const nginxText = files.get(COMPOSE_FILES.nginx);
      const label = get(parsed.resources[0].object, 'services', 'nginx', 'labels', NGINX_CONF_HASH_LABEL);
      if (nginxText !== undefined && label !== nginxConfSha256(nginxText)) {
        const labelPath = ['services', 'nginx', 'labels', NGINX_CONF_HASH_LABEL];
        findings.push({
          ...fileFinding(COMPOSE_FILES.compose, 'compose-nginx-conf-hash', `the nginx service's label ${NGINX_CONF_HASH_LABEL} is ${label === undefined ? 'missing' : JSON.stringify(label)}, not the SHA-256 of ${COMPOSE_FILES.nginx}: Compose would not recreate nginx when only nginx.conf changes, and the old configuration would keep running`),
          line: parsed.resources[0].lineOf(labelPath),
          object: 'service/nginx',
          path: labelPath,
        });
      }
    }
    else if (parsed.findings.length === 0) findings.push(fileFinding(COMPOSE_FILES.compose, 'yaml', `one YAML document expected, found ${parsed.resources.length}`));
    if (envText !== undefined) {
      const used = referencedVariables(composeText);
      for (const v of used.filter((u) => !names.includes(u))) findings.push(fileFinding(COMPOSE_FILES.envExample, 'compose-env-names', `${v} is used by ${COMPOSE_FILES.compose} but not listed`));
      for (const v of names.filter((n) => !used.includes(n))) findings.push(fileFinding(COMPOSE_FILES.envExample, 'compose-env-names', `${v} is listed but ${COMPOSE_FILES.compose} does not use it`, undefined, 'warning'));
    }
  }
  return findings;
}
