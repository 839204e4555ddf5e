import { arrayAt, stringAt } from '../../validate/access';
import { Risk } from '../model';
import { Assessment, ObjectDelta, subject } from './delta';

/**
 * An ExternalSecret that reads a store entry or property it did not read
 * before, from the same store (kind and name: external-secrets picks the
 * provider by spec.secretStoreRef, externalsecret_controller_secret.go): the
 * value must be in that store before the sync. Otherwise the fetch fails
 * (SecretSyncedError, externalsecret_controller.go): a new ExternalSecret never
 * becomes Ready and Argo CD stops the sync at its wave (gitops-engine
 * `pkg/sync/sync_context.go` waits for each wave's health); an existing one
 * keeps its old Secret, without the new key. So the reviewer must see the new
 * entries.
 */
export function secretStoreChanges(delta: ObjectDelta): Partial<Assessment> {
  const r = subject(delta);
  if (r.kind !== 'ExternalSecret' || !delta.after) return {};
  const storeOf = (object: unknown) => `${stringAt(object, 'spec', 'secretStoreRef', 'kind') ?? 'SecretStore'} ${stringAt(object, 'spec', 'secretStoreRef', 'name') ?? '(none)'}`;
  const read = (object: unknown) =>
    new Set(arrayAt(object, 'spec', 'data').flatMap((d) => {
      const key = stringAt(d, 'remoteRef', 'key');
      return key ? [`${key}${stringAt(d, 'remoteRef', 'property') ? ` property ${stringAt(d, 'remoteRef', 'property')}` : ''}`] : [];
    }));
  const store = storeOf(delta.after.object);
  const sameStore = delta.before !== undefined && storeOf(delta.before.object) === store;
  const before = sameStore ? read(delta.before!.object) : new Set<string>();
  const added = [...read(delta.after.object)].filter((entry) => !before.has(entry)).sort();
  if (added.length === 0) return {};
  const them = added.length > 1 ? 'them' : 'it';
  const risk: Risk = {
    kind: 'availability',
    message: `ExternalSecret ${r.name} reads ${added.map((a) => `"${a}"`).join(', ')} from ${store}, which it did not read before: put ${them} in the store before the sync. Otherwise ${delta.before ? 'it keeps its old Secret, without the new values, and the pods that need them fail' : 'it never becomes Ready, the sync stops at its wave and nothing after it is applied'}`,
  };
  return { risks: [risk] };
}
