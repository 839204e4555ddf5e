import { arrayAt, stringAt } from '../../validate/access';
import { Risk } from '../model';
import { Assessment, ObjectDelta, subject } from './delta';

/**
 * An ExternalSecret that reads a store entry or property it did not read
 * before: the value must be in the secret store before the sync. Otherwise
 * the ExternalSecret cannot become Ready, Argo CD stops the sync at its wave
 * (gitops-engine `pkg/sync/sync_context.go` waits for each wave's health) and
 * nothing after it is applied, so the reviewer must see the new entries.
 */
export function secretStoreChanges(delta: ObjectDelta): Partial<Assessment> {
  const r = subject(delta);
  if (r.kind !== 'ExternalSecret' || !delta.after) return {};
  const read = (object: unknown) =>
    new Set(arrayAt(object, 'spec', 'data').flatMap((d) => {
      const key = stringAt(d, 'remoteRef', 'key');
      return key ? [`${key}${stringAt(d, 'remoteRef', 'property') ? ` property ${stringAt(d, 'remoteRef', 'property')}` : ''}`] : [];
    }));
  const before = delta.before ? read(delta.before.object) : new Set<string>();
  const added = [...read(delta.after.object)].filter((entry) => !before.has(entry)).sort();
  if (added.length === 0) return {};
  const store = stringAt(delta.after.object, 'spec', 'secretStoreRef', 'name') ?? 'its store';
  const risk: Risk = {
    kind: 'availability',
    message: `ExternalSecret ${r.name} reads ${added.map((a) => `"${a}"`).join(', ')} from ${store}, which it did not read before: put ${added.length > 1 ? 'them' : 'it'} in the store before the sync, or the sync stops at the ExternalSecret's wave and nothing after it is applied`,
  };
  return { risks: [risk] };
}
