import { Environment } from '../config/schema';

/** The image reference the pods run: `repository:tag`, `repository@digest` or `repository:tag@digest`. */
export function imageReference(image: Environment['image']): string {
  return `${image.repository}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
}

/** The version the labels and dashboards show: the tag, else the start of the digest. */
export function imageVersion(image: Environment['image']): string {
  return image.tag ?? image.digest!.replace('sha256:', 'sha256-').slice(0, 19);
}

/** The tag of a pinned image reference such as `redis:7.4.1-alpine` or `pgvector/pgvector:0.8.0-pg16@sha256:…` (the schema requires the tag). */
export function pinnedImageVersion(reference: string): string {
  const withoutDigest = reference.split('@')[0];
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : 'unknown';
}
