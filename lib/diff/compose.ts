import * as path from 'path';
import { COMPOSE_FILES } from '../compose/constants';
import { Json } from '../validate/access';
import { parseResources } from '../validate/resource';
import type { SourceFile } from '../validate/validate';
import { diffValues } from './fields';
import { FieldChange, ObjectChange, Risk, startsWith } from './model';
import { describeImageChange } from './risks/workloads';
import { DiffSourceError } from './sources';

/** Service settings that widen what a container may do or who can reach it. */
const SERVICE_ACCESS = ['ports', 'user', 'privileged', 'cap_add', 'cap_drop', 'security_opt', 'read_only', 'network_mode', 'pid', 'ipc', 'devices'];

/** Whether a folder of dist/ is a Docker Compose environment (deploy.sh, not Argo CD, applies it). */
export function isComposeFolder(files: readonly SourceFile[]): boolean {
  return files.some((f) => path.basename(f.file) === COMPOSE_FILES.compose);
}

/**
 * A Compose folder file by file: the Compose file field by field (with the
 * services whose containers deploy.sh re-creates, their images and access),
 * the other files (scripts, nginx.conf, SQL) by lines.
 */
export function diffComposeFolder(before: readonly SourceFile[], after: readonly SourceFile[]): ObjectChange[] {
  const old = new Map(before.map((f) => [path.basename(f.file), f]));
  const now = new Map(after.map((f) => [path.basename(f.file), f]));
  const changes: ObjectChange[] = [];
  for (const name of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const b = old.get(name);
    const a = now.get(name);
    if (b?.text === a?.text) continue;
    const isCompose = name === COMPOSE_FILES.compose;
    const fields = isCompose ? diffValues(b && composeDocument(b), a && composeDocument(a)) : diffValues(b?.text, a?.text);
    changes.push({
      change: !b ? 'added' : !a ? 'removed' : 'changed',
      apiVersion: '',
      kind: 'File',
      name,
      file: (a ?? b)!.file,
      fields: b && a ? fields : [],
      risks: isCompose && b && a ? composeRisks(fields) : [],
      notes: [],
    });
  }
  return changes;
}

/** The Compose file as data, read with the validator's YAML reader. */
function composeDocument(file: SourceFile): Json {
  const parsed = parseResources(file.file, '', file.text);
  const problem = parsed.findings[0];
  if (problem) throw new DiffSourceError(`${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
  return parsed.resources[0]?.object ?? {};
}

function composeRisks(fields: readonly FieldChange[]): Risk[] {
  const risks: Risk[] = [];
  const services = [...new Set(fields.filter((f) => startsWith(f.path, ['services', '*'])).map((f) => String(f.path[1])))];
  const changed = services.filter((s) => fields.some((f) => startsWith(f.path, ['services', s]) && f.path.length > 2));
  if (changed.length > 0) risks.push({ kind: 'rolls-pods', message: `deploy.sh (docker compose up) re-creates the containers of ${changed.map((s) => `service ${s}`).join(', ')}` });
  for (const f of fields) {
    if (startsWith(f.path, ['services', '*', 'image']) && f.path.length === 3 && typeof f.before === 'string' && typeof f.after === 'string') {
      risks.push({ kind: 'image', message: `service ${String(f.path[1])}: ${describeImageChange(f.before, f.after)}` });
    }
  }
  const access = fields.filter((f) => SERVICE_ACCESS.some((k) => startsWith(f.path, ['services', '*', k])));
  if (access.length > 0) risks.push({ kind: 'security', message: `container access: ${[...new Set(access.map((f) => `service ${String(f.path[1])} ${String(f.path[2])}`))].join(', ')}` });
  const volumes = fields.filter((f) => startsWith(f.path, ['volumes', '*']) && f.path.length === 2 && f.after === undefined);
  for (const v of volumes) risks.push({ kind: 'data', message: `volume ${String(v.path[1])} is no longer declared: docker compose leaves it (and its data) in place, unused, until someone removes it` });
  return risks;
}
