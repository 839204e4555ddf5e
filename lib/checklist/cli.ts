import * as fs from 'fs';
import * as path from 'path';
import { loadEnvironments } from '../config/load';
import { isCompose } from '../compose/render';
import { formatChecklist, runChecklist } from './checklist';
import { COMPOSE_CHECKLIST } from './compose-checks';
import { readComposeFolder } from './compose-context';
import { readDistFolder } from './load';

export const USAGE = 'usage: npm run checklist -- --env <environment> [--dist <folder>]';

/**
 * `npm run checklist -- --env <name>`: prints the checklist for dist/<name>/.
 * Returns the exit code: 0 all automatic items pass, 1 one failed, 2 usage or input error.
 */
export function main(argv: readonly string[], root = process.cwd(), out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => console.error(s)): number {
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
      : runChecklist({ env, manifests: readDistFolder(folder), fileExists });
    out(formatChecklist(envName, results));
    return results.some((r) => r.status === 'fail') ? 1 : 0;
  } catch (e) {
    err(`checklist: ${(e as Error).message}`);
    return 2;
  }
}
