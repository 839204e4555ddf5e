/**
 * Pieces of the ExternalSecret templates that build a datastore URL from its
 * password (external-secrets.io v1, engine v2: Go text/template with ESO's
 * copy of sprig, `missingkey=error`; external-secrets
 * runtime/template/v2/template.go `execute`).
 */

/** `{{ .<key> }}` of the fetched keys, for a key that need not be a Go identifier. */
const fetched = (key: string) => `(index . ${JSON.stringify(key)})`;

/**
 * The password percent-encoded for a URL's userinfo: text/template's
 * `urlquery` (url.QueryEscape) escapes every byte but `A-Z a-z 0-9 - _ . ~`
 * and writes a space as "+", which userinfo does not decode (redis-py
 * `parse_url` and SQLAlchemy `make_url` call `urllib.parse.unquote` on it); an
 * encoded "+" is "%2B", so every "+" left is a space and becomes "%20".
 */
export function encodedPassword(key: string): string {
  return `{{ ${fetched(key)} | urlquery | replace "+" "%20" }}`;
}

/** Fails the template (sprig `fail`) when the password is empty: the ExternalSecret reports the error instead of writing the Secret. */
export function failIfEmpty(key: string, consequence: string): string {
  return `{{ if not ${fetched(key)} }}{{ fail ${JSON.stringify(`the store entry has an empty "${key}": ${consequence}`)} }}{{ end }}`;
}
