/**
 * Words of a variable name (split at `_`, `.`, `-`) that mean it holds a secret.
 * Whole words, so that MAX_TOKENS or SECRETS_DIR are not taken for secrets; KEY only as the last word (OPENAI_API_KEY, not KEY_PREFIX).
 */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY']);

function secretName(name: string): boolean {
  const words = name.toUpperCase().split(/[_.-]+/).filter(Boolean);
  return words.some((w) => SECRET_WORDS.has(w)) || words[words.length - 1] === 'KEY';
}

/** Values that are secrets whatever their name: provider keys, private keys, URLs with a password. */
const SECRET_VALUES: [RegExp, string][] = [
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/, 'an API key (sk-...)'],
  [/\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, 'a URL with a password'],
];

/** Why a literal `name: value` looks like a secret, or undefined. */
export function secretLooking(name: string, value: string): string | undefined {
  for (const [pattern, what] of SECRET_VALUES) if (pattern.test(value)) return `its value looks like ${what}`;
  if (value.trim() !== '' && secretName(name)) return `its name says it is a secret`;
  return undefined;
}
