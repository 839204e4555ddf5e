import * as fs from 'fs';
import * as path from 'path';
import { Environment } from '../../config/schema';
import { COMPOSE_FILES } from '../compose/constants';
import { JsonObject } from '../validate/access';
import { checkComposeFiles } from '../validate/compose/check';
import { parseResources, Resource } from '../validate/resource';
import { ValidatedFolder } from './context';
import { unreadable } from './load';

/** What the checks of a Compose environment look at: the files of dist/<env>/, its config, the validator's findings and the repository. */
export interface ComposeChecklistContext extends ValidatedFolder {
  readonly env: Environment;
  /** docker-compose.yml, parsed (with lines, for the validator's rules). */
  readonly compose: Resource;
  /** Text of each file of the folder, by name. */
  readonly files: ReadonlyMap<string, string>;
  readonly fileExists: (relativePath: string) => boolean;
}

/** The services of the Compose file. */
export function servicesOf(ctx: ComposeChecklistContext): Record<string, JsonObject> {
  return ((ctx.compose.object.services ?? {}) as Record<string, JsonObject>);
}

/** The text of a file of the folder ('' when it is missing). */
export function fileText(ctx: ComposeChecklistContext, name: string): string {
  return ctx.files.get(name) ?? '';
}

/**
 * Reads dist/<env>/ of a Compose environment and runs the validator's checks
 * of its files once (those that need no tool: docker-compose and shellcheck
 * are `npm run validate`'s). Throws when it is missing or the Compose file
 * cannot be read as written (see unreadable).
 */
export function readComposeFolder(env: Environment, folder: string, fileExists: (p: string) => boolean): ComposeChecklistContext {
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist: run "npm run synth" first`);
  const files = new Map(fs.readdirSync(folder).sort().map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8')] as const));
  const text = files.get(COMPOSE_FILES.compose);
  if (text === undefined) throw new Error(`${path.join(folder, COMPOSE_FILES.compose)} is missing: run "npm run synth" first`);
  const { resources, findings } = parseResources(path.join(folder, COMPOSE_FILES.compose), env.name, text);
  if (findings.length > 0) throw unreadable(findings[0]);
  if (resources.length !== 1) throw new Error(`${path.join(folder, COMPOSE_FILES.compose)}: one YAML document expected`);
  const executable = (file: string) => (fs.statSync(path.join(folder, file)).mode & 0o111) !== 0;
  return { env, compose: resources[0], files, fileExists, findings: checkComposeFiles(env.name, files, executable) };
}
