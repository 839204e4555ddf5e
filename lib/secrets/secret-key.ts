/** A key of a Secret in the same namespace: what environment files and manifests refer to, never a value. */
export interface SecretKeyReference {
  readonly name: string;
  readonly key: string;
}
