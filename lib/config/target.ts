import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { INPUT_LIMITS } from './input';

export type Target = 'kubernetes' | 'compose';

/**
 * The `target` an environment file asks for ("kubernetes" when it says
 * nothing), without validating the rest: the checking tools use it to know
 * what dist/<name>/ should hold. Undefined when there is no such file.
 */
export function environmentTarget(root: string, name: string): Target | undefined {
  const file = path.join(root, 'config', 'environments', `${name}.yaml`);
  if (!fs.existsSync(file)) return undefined;
  let data: unknown;
  try {
    // Read with the loader's limits: with yaml's default alias limit (100), a valid file with many aliases read as "kubernetes".
    data = parse(fs.readFileSync(file, 'utf8'), { uniqueKeys: false, maxAliasCount: INPUT_LIMITS.aliasExpansion });
  } catch {
    return 'kubernetes';
  }
  const target = typeof data === 'object' && data !== null ? (data as { target?: unknown }).target : undefined;
  return target === 'compose' ? 'compose' : 'kubernetes';
}
