/**
 * A small client of the Prometheus HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/)
 * for `npm run verify`: every request has a timeout, and every failure is a
 * `PrometheusError` saying whether the server was unreachable or not a Prometheus.
 */

export type PrometheusErrorKind = 'unreachable' | 'not-prometheus' | 'query';

export class PrometheusError extends Error {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export interface RuleGroupStatus {
  name: string;
  file: string;
  rules: { name: string; query: string; type: 'alerting' | 'recording'; health: string; lastError?: string; labels?: Record<string, string> }[];
}

export interface ActiveAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export class PrometheusApi {
  private readonly base: string;

  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  private async get<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const query = new URLSearchParams(params).toString();
    const url = `${this.base}/api/v1/${path}${query ? `?${query}` : ''}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { Accept: 'application/json' } });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why = err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000}s` : (err.cause?.code ?? err.cause?.message ?? err.message);
      throw new PrometheusError('unreachable', `cannot reach ${this.base} (${why})`);
    }
    let body: string;
    try {
      body = await response.text();
    } catch (e) {
      throw new PrometheusError('unreachable', `${this.base}: the answer was cut off (${(e as Error).message})`);
    }
    let parsed: { status?: string; data?: T; error?: string; errorType?: string };
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new PrometheusError('not-prometheus', `${url} answered HTTP ${response.status} that is not the Prometheus API (not JSON): is ${this.base} the Prometheus URL?`);
    }
    if (parsed.status === 'error') throw new PrometheusError('query', `${path}: ${parsed.errorType ?? 'error'}: ${parsed.error ?? 'unknown error'}`);
    if (parsed.status !== 'success' || parsed.data === undefined) {
      throw new PrometheusError('not-prometheus', `${url} answered HTTP ${response.status} without a Prometheus API result: is ${this.base} the Prometheus URL?`);
    }
    return parsed.data;
  }

  /** Version of the server; proves the URL is a Prometheus API. */
  async version(): Promise<string> {
    const data = await this.get<{ version?: string }>('status/buildinfo');
    if (typeof data.version !== 'string') throw new PrometheusError('not-prometheus', `${this.base}/api/v1/status/buildinfo has no version: not a Prometheus`);
    return data.version;
  }

  /** An instant query; a scalar comes back as one sample without labels. */
  async query(expr: string, atSeconds?: number): Promise<Sample[]> {
    const data = await this.get<{ resultType: string; result: unknown }>('query', { query: expr, ...(atSeconds !== undefined ? { time: String(atSeconds) } : {}) });
    if (data.resultType === 'scalar') return [{ metric: {}, value: Number((data.result as [number, string])[1]) }];
    if (data.resultType !== 'vector') throw new PrometheusError('query', `query returned a ${data.resultType}, not a vector: ${expr}`);
    return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** The one value of a query, or undefined when it returns nothing (NaN counts as nothing). */
  async value(expr: string, atSeconds?: number): Promise<number | undefined> {
    const samples = await this.query(expr, atSeconds);
    if (samples.length > 1) throw new PrometheusError('query', `expected one series, got ${samples.length}: ${expr}`);
    const v = samples[0]?.value;
    return v === undefined || Number.isNaN(v) ? undefined : v;
  }

  async rules(): Promise<RuleGroupStatus[]> {
    return (await this.get<{ groups: RuleGroupStatus[] }>('rules')).groups;
  }

  async alerts(): Promise<ActiveAlert[]> {
    return (await this.get<{ alerts: ActiveAlert[] }>('alerts')).alerts;
  }
}
