import { diffArrays, diffLines } from 'diff';
import { isDeepStrictEqual } from 'util';
import { isObject, Json } from '../validate/access';
import { FieldChange, PathSegment } from './model';

/**
 * Fields that identify an element of a list, tried in order; the first that every element on both
 * sides has, without repeats, wins: containers, env, ports, volumes, rule groups and receivers by
 * `name`; Prometheus rules by `alert` or `record`; ExternalSecret data by `secretKey`; volume mounts
 * by `mountPath`. Other lists are compared by index.
 */
const IDENTITIES: readonly (readonly string[])[] = [['name'], ['alert', 'record'], ['secretKey'], ['mountPath']];

/**
 * The fields that differ between two values, as paths with old and new values.
 * Lists are matched by element identity where they have one; strings holding
 * JSON (the Grafana dashboard) are compared as JSON; multi-line strings
 * (scripts, configuration files) also get their changed lines.
 */
export function diffValues(before: Json | undefined, after: Json | undefined, path: PathSegment[] = []): FieldChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    return keys.flatMap((k) => diffValues(before[k], after[k], [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after)) return diffLists(before, after, path);
  if (typeof before === 'string' && typeof after === 'string') {
    const json = [parseJsonDocument(before), parseJsonDocument(after)];
    if (json[0] !== undefined && json[1] !== undefined) return diffValues(json[0], json[1], path);
    if (before.includes('\n') || after.includes('\n')) return [{ path, before, after, lines: changedLines(before, after) }];
  }
  return [{ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}

function diffLists(before: Json[], after: Json[], path: PathSegment[]): FieldChange[] {
  const identity = IDENTITIES.find((fields) => identities(before, fields) && identities(after, fields));
  const beforeIds = identity && identities(before, identity);
  const afterIds = identity && identities(after, identity);
  if (!beforeIds || !afterIds) return diffByPosition(before, after, path);
  const afterById = new Map(afterIds.map((id, i) => [idText(id), after[i]]));
  const beforeById = new Map(beforeIds.map((id, i) => [idText(id), before[i]]));
  const changes: FieldChange[] = [];
  beforeIds.forEach((id, i) => changes.push(...diffValues(before[i], afterById.get(idText(id)), [...path, id])));
  afterIds.forEach((id, i) => {
    if (!beforeById.has(idText(id))) changes.push(...diffValues(undefined, after[i], [...path, id]));
  });
  // Same elements in another order: still a change (a reordered env list changes the pod template hash).
  const order = (ids: Identity[], other: Map<string, Json>) => ids.map(idText).filter((id) => other.has(id));
  const orderBefore = order(beforeIds, afterById);
  const orderAfter = order(afterIds, beforeById);
  if (!isDeepStrictEqual(orderBefore, orderAfter)) changes.push({ path, before: orderBefore, after: orderAfter });
  return changes;
}

/**
 * Lists without identities: element by element when the length is the same
 * (a changed field shows as that field); otherwise the longest common
 * subsequence, so that an element inserted in the middle shows as one
 * addition rather than every later element changed. Removed elements are
 * numbered as they were, the others as they are.
 */
function diffByPosition(before: Json[], after: Json[], path: PathSegment[]): FieldChange[] {
  if (before.length === after.length) return before.flatMap((b, i) => diffValues(b, after[i], [...path, i]));
  const changes: FieldChange[] = [];
  let i = 0;
  let j = 0;
  const parts = diffArrays(before, after, { comparator: isDeepStrictEqual });
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    if (!part.added && !part.removed) {
      i += part.count;
      j += part.count;
    } else if (part.removed) {
      // A removal followed by an addition is a change of the elements they have in common.
      const next = parts[p + 1]?.added ? parts[++p] : undefined;
      const paired = Math.min(part.count, next?.count ?? 0);
      for (let k = 0; k < paired; k++) changes.push(...diffValues(before[i + k], after[j + k], [...path, j + k]));
      for (let k = paired; k < part.count; k++) changes.push(...diffValues(before[i + k], undefined, [...path, i + k]));
      for (let k = paired; k < (next?.count ?? 0); k++) changes.push(...diffValues(undefined, after[j + k], [...path, j + k]));
      i += part.count;
      j += next?.count ?? 0;
    } else {
      for (let k = 0; k < part.count; k++) changes.push(...diffValues(undefined, after[j + k], [...path, j + k]));
      j += part.count;
    }
  }
  return changes;
}

type Identity = { key: string; value: string };

const idText = (id: Identity) => `${id.key}=${id.value}`;

function identities(list: Json[], fields: readonly string[]): Identity[] | undefined {
  const ids: Identity[] = [];
  const seen = new Set<string>();
  for (const element of list) {
    if (!isObject(element)) return undefined;
    const key = fields.find((k) => typeof element[k] === 'string');
    if (!key) return undefined;
    const id = { key, value: element[key] as string };
    if (seen.has(idText(id))) return undefined;
    seen.add(idText(id));
    ids.push(id);
  }
  return ids;
}

/** The object or list a string holds as JSON, if it does. */
function parseJsonDocument(text: string): Json | undefined {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.removed) removed.push(...lines);
    else if (part.added) added.push(...lines);
  }
  return { removed, added };
}
