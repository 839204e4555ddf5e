/**
 * How long the proxy in front of the API (ingress-nginx; nginx in Compose) and
 * uvicorn hold connections and requests, named once: the Ingress, nginx.conf,
 * the API's settings and its shutdown time are derived from these.
 */
export const SERVING = {
  /** The proxy waits this long for the API's response (LLM reranking can take several seconds). */
  proxyReadTimeoutSeconds: 60,
  /** ingress-nginx keeps idle upstream connections this long: its default upstream-keepalive-timeout (internal/ingress/controller/config/config.go). */
  proxyKeepAliveSeconds: 60,
  /** After uvicorn's graceful shutdown, time for the app's own shutdown (closing its database and Redis pools) before SIGKILL. */
  cleanupSeconds: 5,
} as const;

/**
 * uvicorn's settings, as environment variables its CLI reads (`UVICORN_*`:
 * click's auto_envvar_prefix in uvicorn/main.py; the image runs the `uvicorn` command):
 * - keep-alive longer than the proxy's, so the proxy closes an idle connection
 *   first (uvicorn's default of 5 s closed it under requests the proxy was
 *   sending on it: a reset, a 502 for a POST, which nginx does not retry);
 * - graceful shutdown as long as the proxy waits for a response, then the app's
 *   cleanup still runs before the kubelet's SIGKILL (uvicorn 0.24 and later;
 *   an older one ignores the variable and waits for every request).
 */
export function uvicornSettings(): Record<string, string> {
  return {
    UVICORN_TIMEOUT_KEEP_ALIVE: String(SERVING.proxyKeepAliveSeconds + 15),
    UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN: String(SERVING.proxyReadTimeoutSeconds),
  };
}

/** Seconds from SIGTERM to SIGKILL the API needs: the graceful shutdown, then the app's cleanup. */
export const SHUTDOWN_SECONDS = SERVING.proxyReadTimeoutSeconds + SERVING.cleanupSeconds;
