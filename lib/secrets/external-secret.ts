import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
  ExternalSecretSpecTargetTemplateMergePolicy,
} from '../../imports/externalsecrets-external-secrets.io';
import { SYNC_WAVE, syncWave } from '../argocd/sync';
import { checkProps, ObjectProps } from '../props';

/** `metadata.name` is also the name of the Secret it creates. */
export interface StoreSecretProps extends ObjectProps {
  /** The ClusterSecretStore to read from. */
  readonly store: string;
  /** Key of the entry in the store; each Secret key is a property of it. */
  readonly remoteKey: string;
  /** Keys of the Secret fetched from the store. */
  readonly keys: readonly string[];
  /**
   * Keys of the Secret computed from the fetched ones (key → Go template, ESO
   * engine v2), written beside them (`mergePolicy: Merge`).
   * @default none
   */
  readonly templates?: Readonly<Record<string, string>>;
  /** @default '1h' */
  readonly refreshInterval?: string;
}

/**
 * An external-secrets.io/v1 ExternalSecret that creates (and owns) one Secret
 * from a ClusterSecretStore, in the prerequisites wave: Argo CD waits for it to
 * be healthy (Secret synced) before the migration hook and the pods.
 */
export class StoreSecret extends Construct {
  constructor(scope: Construct, id: string, props: StoreSecretProps) {
    super(scope, id);
    const check = checkProps('StoreSecret', props).object(props).name('store', props.store).text('remoteKey', props.remoteKey).nonEmpty('keys', props.keys);
    const templates = props.templates ?? {};
    for (const key of [...props.keys, ...Object.keys(templates)]) check.that(/^[-._a-zA-Z0-9]+$/.test(key) && key.length <= 253, 'keys', `has "${key}", not a Secret key`);
    for (const key of Object.keys(templates)) check.that(!props.keys.includes(key), 'templates', `has "${key}", also a key fetched from the store`);
    new ExternalSecret(this, 'Resource', {
      metadata: { ...props.metadata, annotations: { ...props.metadata.annotations, ...syncWave(SYNC_WAVE.prerequisites) } },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.store },
        target: {
          name: props.metadata.name,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          // Keep the Secret when the store is briefly unreachable or the entry is deleted by mistake.
          deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
          // Merge: the Secret keeps the fetched keys beside the templated ones (external-secrets
          // pkg/controllers/externalsecret/externalsecret_controller_template.go ApplyTemplate).
          ...(Object.keys(templates).length > 0
            ? { template: { engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2, mergePolicy: ExternalSecretSpecTargetTemplateMergePolicy.MERGE, data: templates } }
            : {}),
        },
        data: props.keys.map((key) => ({ secretKey: key, remoteRef: { key: props.remoteKey, property: key } })),
      },
    });
  }
}
