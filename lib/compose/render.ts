import { Environment } from '../../config/schema';
import { FolderFiles, toYaml } from '../synth/render';
import { ComposeFile, composeFile } from './compose-file';
import { POSTGRESQL } from '../datastores/constants';
import { COMPOSE_FILES, generatedNote } from './constants';
import { nginxConf } from './nginx-conf';
import { deployScript } from './scripts/deploy';
import { rollbackScript } from './scripts/rollback';
import { scriptSettings } from './scripts/settings';
import { envExample } from './variables';

/** Whether an environment renders a Docker Compose stack instead of Kubernetes manifests. */
export function isCompose(env: Pick<Environment, 'target'>): boolean {
  return env.target === 'compose';
}

/** The files of `dist/<env>/` of a `target: compose` environment, rendered in memory. */
export function renderComposeFolder(env: Environment): FolderFiles {
  if (!isCompose(env)) throw new Error(`environment "${env.name}" has target "${env.target}", not "compose"`);
  const generated = generatedNote(env);
  const nginx = nginxConf(env, [generated]);
  const files = new Map<string, string>([
    [COMPOSE_FILES.envExample, envExample([`The variables of Compose project "${env.namespace}", names only. ${generated}`, 'Copy it to the site directory as .env and fill in every value (docs/compose.md); never commit the filled file.'])],
    [COMPOSE_FILES.compose, `# ${generated}\n# Deploy it with deploy.sh (docs/compose.md).\n${composeYaml(composeFile(env, nginx))}`],
    [COMPOSE_FILES.deploy, deployScript(scriptSettings(env))],
    [COMPOSE_FILES.nginx, nginx],
    [COMPOSE_FILES.postgresInit, `-- ${generated}\n-- Run by the PostgreSQL image when it creates the database (an empty volume).\n${POSTGRESQL.initSql}\n`],
    [COMPOSE_FILES.rollback, rollbackScript(scriptSettings(env))],
  ]);
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The Compose file as YAML every reader takes the same way, written by the
 * writer of the Kubernetes files (lib/yaml/writer.ts): docker-compose 1.x
 * reads it with PyYAML (YAML 1.1), so a string that would read as a boolean,
 * a number or a base-60 port is quoted, and characters PyYAML refuses raw
 * (U+007F-U+0084, U+0086-U+009F, U+FFFE, U+FFFF) or reads as line breaks
 * (U+0085, U+2028, U+2029) are escaped.
 */
export function composeYaml(file: ComposeFile): string {
  return toYaml(file);
}
