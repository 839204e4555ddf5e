/** A word for bash, in single quotes: nothing in it is expanded. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `NAME=(word …)`: a bash array of literal words. */
export function shellArray(name: string, words: readonly string[]): string {
  return `${name}=(${words.map(shellQuote).join(' ')})`;
}
