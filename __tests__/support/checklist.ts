import * as fs from 'fs';
import * as path from 'path';
import { Environment } from '../../config/schema';
import { ChecklistContext } from '../../lib/checklist/context';
import { checklistContextOf } from '../../lib/checklist/load';
import type { Manifest } from '../../lib/synth/render';
import { toYaml } from '../../lib/yaml/writer';
import { SchemaStore } from '../../lib/validate/schema/store';
import { ROOT } from './env';

let store: SchemaStore | undefined;

/** The validator's schemas, compiled once per test file. */
export function sharedSchemaStore(): SchemaStore {
  store ??= new SchemaStore(ROOT);
  return store;
}

/**
 * The checklist's context for these manifests, as `npm run checklist` builds it
 * from dist/<env>/: one file each, read and checked by the validator once.
 * `files` stands in for the repository's files (default: the real ones).
 */
export function checklistContext(env: Environment, manifests: readonly Manifest[], files?: readonly string[]): ChecklistContext {
  const sources = manifests.map((m, i) => ({ file: `dist/${env.name}/${i}-${m.kind.toLowerCase()}-${m.metadata.name}.yaml`, text: toYaml(m) }));
  const fileExists = (p: string) => (files ? files.includes(p) : fs.existsSync(path.join(ROOT, p)));
  return checklistContextOf(env, sources, fileExists, sharedSchemaStore());
}
