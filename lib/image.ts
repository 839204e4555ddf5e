import { Environment } from '../config/schema';

/** The image reference the pods run: `repository:tag`, `repository@digest` or `repository:tag@digest`. */
export function imageReference(image: Environment['image']): string {
  return `${image.repository}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
}

/** The version the labels and dashboards show: the tag, else the start of the digest. */
export function imageVersion(image: Environment['image']): string {
  return image.tag ?? image.digest!.replace('sha256:', 'sha256-').slice(0, 19);
}
