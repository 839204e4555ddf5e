import * as path from 'path';
import { buildEnvironment, RenderedEnvironment, SHARED_FOLDERS } from '../../charts';
import { Environment, EnvironmentSchema } from '../../config/schema';
import { renderComposeFolder, isCompose } from '../compose/render';
import { loadEnvironments } from '../config/load';
import { apiServerErrors } from './api-checks';
import { decorate, FolderFiles, Manifest, renderManifests, toFiles } from './render';
import { StepHook, writeOutput } from './write';

/** Where the published JSON Schema of environment files goes, relative to the project root. */
export const SCHEMA_FILE = path.join('config', 'environment.schema.json');

export interface SynthOptions {
  /** Project root (holds config/). */
  readonly root: string;
  /** Output folder. @default `$CDK8S_OUTDIR` or `<root>/dist` */
  readonly outdir?: string;
  /** Only these environments; shared folders (built from all environments) are then left as they are. @default all */
  readonly environments?: readonly string[];
}

/** Renders every requested folder of dist/ in memory. Throws (ConfigError or a construct's error) before anything is written. */
export function render(options: SynthOptions): Map<string, FolderFiles> {
  const all = !options.environments;
  const envs = loadEnvironments(options.root, options.environments);
  // Compose environments have no manifests: nothing of them goes to the shared folders (no Argo CD Application).
  const rendered = renderEnvironments(envs.filter((env) => !isCompose(env)));
  const folders = new Map<string, FolderFiles>();
  for (const env of envs) {
    if (isCompose(env)) folders.set(env.name, withContext(context(env), () => renderComposeFolder(env)));
  }
  for (const { env, manifests } of rendered) folders.set(env.name, withContext(context(env), () => checkedFiles(env.name, manifests)));
  if (all) {
    for (const [folder, build] of Object.entries(SHARED_FOLDERS)) {
      if (folders.has(folder)) throw new Error(`config/environments/${folder}.yaml: the name "${folder}" is reserved for dist/${folder}/`);
      folders.set(folder, withContext(`dist/${folder}`, () => checkedFiles(folder, renderManifests((app) => build(app, rendered)))));
    }
  }
  return folders;
}

/** Every object of each environment, rendered once, for the shared folders. */
export function renderEnvironments(envs: readonly Environment[]): RenderedEnvironment[] {
  return envs.map((env) => ({ env, manifests: environmentManifests(env) }));
}

function environmentManifests(env: Environment): Manifest[] {
  return withContext(context(env), () => decorate(renderManifests((app) => buildEnvironment(app, env)), env));
}

/** The files of a folder, once the API server's per-object rules pass on its objects. */
function checkedFiles(folder: string, manifests: readonly Manifest[]): FolderFiles {
  const errors = apiServerErrors(folder, manifests);
  if (errors.length > 0) throw new Error(`the API server would refuse what this renders (npm run validate):\n${errors.map((e) => `    ${e}`).join('\n')}`);
  return toFiles(manifests);
}

const context = (env: Environment) => `${env.file} (environment "${env.name}")`;

/**
 * Renders, then writes dist/ and the published schema in one transaction
 * (lib/synth/write.ts): a failure throws with every file as it was.
 */
export function synthesize(options: SynthOptions, hook?: StepHook): { folders: Map<string, FolderFiles>; warnings: string[] } {
  const folders = render(options);
  const outdir = options.outdir ?? path.resolve(options.root, process.env.CDK8S_OUTDIR ?? 'dist');
  const published = { file: path.join(options.root, SCHEMA_FILE), content: schemaDocument() };
  const { warnings } = writeOutput({ outdir, folders, prune: !options.environments, published }, hook);
  return { folders, warnings };
}

/** The JSON Schema of environment files, as published for editors. */
export function schemaDocument(): string {
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...(withoutDefaultedRequired(EnvironmentSchema) as object) }, null, 2)}\n`;
}

/** A key with a default may be left out of the file (the loader fills it in), so editors must not call it required. */
function withoutDefaultedRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDefaultedRequired);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, withoutDefaultedRequired(v)])) as Record<string, unknown>;
  const properties = s.properties as Record<string, { default?: unknown }> | undefined;
  if (Array.isArray(s.required) && properties) {
    s.required = s.required.filter((key: string) => properties[key]?.default === undefined);
    if ((s.required as string[]).length === 0) delete s.required;
  }
  return s;
}

function withContext<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`${context}: ${message}`);
  }
}
