#!/usr/bin/python3
"""One simulated AI-OdooFinder API pod for `npm run e2e`.

It declares the metrics of SPEC-404's app/monitoring/metrics.py with the real
prometheus_client (Debian python3-prometheus-client): same names, help, labels,
default histogram buckets, `_created` series and OpenMetrics negotiation on
the Accept header (prometheus_client's own MetricsHandler). A background
thread plays searches through them as the seed's `monitor_search` decorator
records them: the error series of a label set appears at its first error.

Usage: api_pod.py MODE   (listens on 127.0.0.1, a free port, printed as
"listening on PORT"). POST /-/mode with the body "<mode>" switches traffic.
Stops on SIGTERM or when its stdin closes (the test that started it is gone).
"""
import json
import signal
import sys
import threading
import time
from http.server import ThreadingHTTPServer

from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.exposition import MetricsHandler

# --- app/monitoring/metrics.py, as the API declares them
search_requests_total = Counter('search_requests_total', 'Total search requests', ['search_mode', 'version', 'status'])
search_latency_seconds = Histogram('search_latency_seconds', 'Search request latency', ['search_mode', 'reranking_enabled'])
reranking_cost_dollars = Counter('reranking_cost_dollars_total', 'Total reranking cost in USD')
cache_hit_rate = Gauge('cache_hit_rate', 'Cache hit rate')
active_searches = Gauge('active_searches', 'Number of active search requests')

# Traffic of one pod per mode: searches per second, share that fail, latency
# quantiles cycled through (seconds), cache hit rate, USD per reranked search.
FAST = [0.02, 0.04, 0.06, 0.08, 0.12, 0.15, 0.2, 0.3, 0.4, 0.6]
SLOW = [3.0, 3.5, 4.0, 4.5, 2.8, 3.2, 3.8, 4.2, 4.8, 3.1]
MODES = {
    # A pod that has served no search yet: its search series do not exist.
    'idle': {'rps': 0, 'errors': 0.0, 'latency': FAST, 'cache': 0.0, 'cost': 0.0},
    'healthy': {'rps': 20, 'errors': 0.0, 'latency': FAST, 'cache': 0.85, 'cost': 0.000003},
    'errors': {'rps': 20, 'errors': 0.2, 'latency': FAST, 'cache': 0.85, 'cost': 0.000003},
    'slow': {'rps': 20, 'errors': 0.0, 'latency': SLOW, 'cache': 0.85, 'cost': 0.000003},
    'cost-spike': {'rps': 20, 'errors': 0.0, 'latency': FAST, 'cache': 0.85, 'cost': 0.25},
    'cache-misses': {'rps': 20, 'errors': 0.0, 'latency': FAST, 'cache': 0.1, 'cost': 0.000003},
}
# (search_mode, reranking enabled) of successive searches.
KINDS = [('hybrid', True), ('hybrid', True), ('semantic', False), ('keyword', False)]
TICK = 0.1


class Traffic:
    def __init__(self, mode):
        self.mode = mode
        self.lock = threading.Lock()
        self.n = 0
        self.due = 0.0
        self.error_due = 0.0

    def set_mode(self, mode):
        with self.lock:
            self.mode = mode

    def tick(self):
        with self.lock:
            m = MODES[self.mode]
            self.due += m['rps'] * TICK
            while self.due >= 1:
                self.due -= 1
                self.search(m)
            cache_hit_rate.set(m['cache'])
            active_searches.set(round(m['rps'] * sum(m['latency']) / len(m['latency'])))

    def search(self, m):
        mode, reranking = KINDS[self.n % len(KINDS)]
        duration = m['latency'][self.n % len(m['latency'])]
        self.n += 1
        self.error_due += m['errors']
        failed = self.error_due >= 1
        if failed:
            self.error_due -= 1
        search_requests_total.labels(search_mode=mode, version='v1', status='error' if failed else 'success').inc()
        search_latency_seconds.labels(search_mode=mode, reranking_enabled=str(reranking)).observe(duration)
        if reranking and not failed:
            reranking_cost_dollars.inc(m['cost'])


def main():
    traffic = Traffic(sys.argv[1] if len(sys.argv) > 1 else 'healthy')

    class Handler(MetricsHandler):
        def do_GET(self):
            if self.path.split('?')[0] == '/metrics':
                return super().do_GET()
            self.send_error(404)

        def do_POST(self):
            if self.path != '/-/mode':
                return self.send_error(404)
            mode = self.rfile.read(int(self.headers.get('Content-Length', '0'))).decode().strip()
            if mode not in MODES:
                return self.send_error(400, 'unknown mode %r' % mode)
            traffic.set_mode(mode)
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    server.daemon_threads = True
    stop = threading.Event()

    def play():
        while not stop.wait(TICK):
            traffic.tick()

    def orphaned():
        sys.stdin.read()
        stop.set()
        server.shutdown()

    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    threading.Thread(target=play, daemon=True).start()
    threading.Thread(target=orphaned, daemon=True).start()
    print(json.dumps({'listening': server.server_address[1]}), flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
