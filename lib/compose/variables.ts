/** A variable of the server's `.env` file: never a value in the repository, only its name in `.env.example`. */
export interface StackVariable {
  readonly name: string;
  /** One line for `.env.example`, above the name. */
  readonly description: string;
}

/**
 * RFC 3986 section 2.3 unreserved characters, as a bash regular expression of a whole non-empty value:
 * what the scripts allow in a variable that goes into a URL as is (lib/compose/scripts/settings.ts urlVariables).
 */
export const URL_SAFE = '^[A-Za-z0-9._~-]+$';

/** Every variable the Compose file reads from the `.env` file, in `.env.example` order. */
export const STACK_VARIABLES = [
  {
    name: 'POSTGRES_PASSWORD',
    description: 'Password of the PostgreSQL role, set when the database volume is first created. URL-safe characters only (e.g. `openssl rand -hex 32`).',
  },
  { name: 'REDIS_PASSWORD', description: 'Password Redis requires (requirepass). URL-safe characters only (e.g. `openssl rand -hex 32`).' },
  { name: 'ANTHROPIC_API_KEY', description: 'Anthropic API key of the API (reranking).' },
  { name: 'OPENAI_API_KEY', description: 'OpenAI API key of the API (embeddings).' },
  {
    name: 'TLS_DIR',
    description: `Absolute path of the directory holding fullchain.pem and privkey.pem (readable by uid 101, nginx), and acme/ for HTTP-01 challenges.`,
  },
] as const satisfies readonly StackVariable[];

export type StackVariableName = (typeof STACK_VARIABLES)[number]['name'];

/** `\${NAME:?…}`: Compose refuses to start (and `docker-compose config` fails) while the variable is unset or empty. */
export function required(name: StackVariableName): string {
  return `\${${name}:?${name} is not set: fill in the .env file (see .env.example)}`;
}

/** The names of the `\${…}` variables a text refers to (Compose interpolation; `$$` is a literal dollar). */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.replace(/\$\$/g, '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  return [...names].sort();
}

/** `.env.example`: each variable's name with an empty value, under a comment that says what it is. */
export function envExample(header: readonly string[]): string {
  const lines = header.map((l) => `# ${l}`);
  for (const v of STACK_VARIABLES) lines.push('', `# ${v.description}`, `${v.name}=`);
  return `${lines.join('\n')}\n`;
}
