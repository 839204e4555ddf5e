import * as fs from 'fs';
import * as path from 'path';
import { loadEnvironments } from '../config/load';
import { isCompose } from '../compose/render';
import { formatChecklist, runChecklist } from './checklist';
import { COMPOSE_CHECKLIST } from './compose-checks';
import { readComposeFolder } from './compose-context';
import { SchemaStore } from '../validate/schema/store';
import { kubernetesChecklistContext } from './load';

const USAGE = 'usage: npm run checklist -- --env <environment> [--dist <folder>]';

/**
 * `npm run checklist -- --env <name>`: prints the checklist for dist/<name>/,
 * built on the validator's findings (run once) and the checks in lib/checklist/.
 * Returns the exit code: 0 all automatic items pass, 1 one failed, 2 usage or input error.
 * `store`: the validator's schemas (default: the project's, under `root`).
 */
export function main(
  argv: readonly string[],
  root = process.cwd(),
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => console.error(s),
  store?: SchemaStore,
): number {
  let envName: string | undefined;
  let dist = 'dist';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--env') envName = argv[++i];
    else if (argv[i] === '--dist') dist = argv[++i];
    else if (argv[i] === '--help' || argv[i] === '-h') {
      out(`${USAGE}\n`);
      return 0;
    } else {
      err(`checklist: unknown argument "${argv[i]}"\n${USAGE}`);
      return 2;
    }
  }
  if (!envName) {
    err(`checklist: --env is required\n${USAGE}`);
    return 2;
  }
  try {
    const [env] = loadEnvironments(root, [envName], err);
    const folder = path.join(root, dist, envName);
    const fileExists = (p: string) => fs.existsSync(path.join(root, p));
    const results = isCompose(env)
      ? runChecklist(readComposeFolder(env, folder, fileExists), COMPOSE_CHECKLIST)
      : runChecklist(kubernetesChecklistContext(env, root, folder, fileExists, store ?? new SchemaStore(root)));
    out(formatChecklist(envName, results));
    return results.some((r) => r.status === 'fail') ? 1 : 0;
  } catch (e) {
    err(`checklist: ${(e as Error).message}`);
    return 2;
  }
}
