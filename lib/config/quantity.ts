const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a Kubernetes quantity ("250m" → 0.25, "1Gi" → 1073741824), or undefined if it is not one. */
export function parseQuantity(quantity: string): number | undefined {
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|([KMGTPE]i|[numkMGTPE])?)$/.exec(quantity);
  if (!match) return undefined;
  const [, number, exponent, suffix] = match;
  if (exponent) return Number(number + exponent);
  return Number(number) * SUFFIX[suffix ?? ''];
}
