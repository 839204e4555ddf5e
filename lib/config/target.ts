import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

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
    data = parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return 'kubernetes';
  }
  const target = typeof data === 'object' && data !== null ? (data as { target?: unknown }).target : undefined;
  return target === 'compose' ? 'compose' : 'kubernetes';
}
