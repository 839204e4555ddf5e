/** One thing wrong with an environment file, located as precisely as we can. */
export interface ConfigProblem {
  /** File path relative to the project root. */
  readonly file: string;
  /** Dotted key path inside the file, e.g. `autoscaling.minReplicas`; empty for the whole file. */
  readonly key: string;
  /** 1-based line of the key in the file, when known. */
  readonly line?: number;
  readonly message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return p.key ? `${where}: ${p.key}: ${p.message}` : `${where}: ${p.message}`;
}

/** Thrown when one or more environment files are invalid; its message lists every problem, one a line. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly ConfigProblem[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
