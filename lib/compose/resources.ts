import { parseQuantity } from '../config/quantity';
import { ResourceSettings } from '../resources';

/** The Compose service keys of Kubernetes requests and limits (honoured by docker-compose 1.x and Compose v2 alike). */
export interface ComposeResources {
  /** limits.cpu, in CPUs. */
  readonly cpus: number;
  /** limits.memory: the container is OOM-killed above it. */
  readonly mem_limit: string;
  /** requests.memory: the soft limit the kernel reclaims towards under memory pressure. */
  readonly mem_reservation: string;
  /**
   * requests.cpu as CPU shares, the relative weight under contention: the
   * kubelet's own conversion, 1024 shares a CPU, at least 2
   * (kubernetes pkg/kubelet/cm/helpers_linux.go, MilliCPUToShares).
   */
  readonly cpu_shares: number;
}

/** Kubernetes requests and limits as Compose service keys. */
export function composeResources(r: ResourceSettings): ComposeResources {
  const cpu = (q: string) => number(q, 'CPU');
  return {
    cpus: Number(cpu(r.limits.cpu).toFixed(3)),
    mem_limit: bytes(r.limits.memory),
    mem_reservation: bytes(r.requests.memory),
    cpu_shares: Math.max(2, Math.floor((Math.round(cpu(r.requests.cpu) * 1000) * 1024) / 1000)),
  };
}

/** A memory quantity as Docker writes it: `1g`, `512m`, `64k` (binary units), else bytes. */
function bytes(quantity: string): string {
  const value = Math.round(number(quantity, 'memory'));
  for (const [unit, size] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
    if (value % size === 0) return `${value / size}${unit}`;
  }
  return `${value}b`;
}

function number(quantity: string, what: string): number {
  const value = parseQuantity(quantity);
  if (value === undefined || value <= 0) throw new Error(`${what} quantity ${JSON.stringify(quantity)} cannot be given to Compose`);
  return value;
}
