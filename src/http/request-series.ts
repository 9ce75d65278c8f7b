/**
 * The HTTP request metrics (umpin_http_requests_total and umpin_http_request_duration_seconds),
 * counted in plain numbers per (route, method, status) on every request, and read by prom-client
 * only when /metrics is scraped. prom-client's own children re-check and re-hash their labels and
 * turn each bucket bound into a string on every observe (measured in a loop: 3.3–4.4 µs a request
 * against 0.4–0.7 µs here); the scrape's text is the same.
 */
import type { Registry } from 'prom-client';

export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Labels {
  route: string;
  method: string;
  status: string;
}

interface Series {
  labels: Labels;
  count: number;
  /** seconds, summed */
  sum: number;
  /** requests whose time fell in each bucket (not cumulative; the last one is +Inf) */
  buckets: number[];
}

/** A metric as prom-client's registry reads it: its name, help and type, and its samples at scrape time. */
interface ScrapedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: unknown[] }>;
  reset(): void;
}

/** A metric whose samples `values` makes when the registry is scraped. */
function scraped(
  name: string,
  help: string,
  type: ScrapedMetric['type'],
  values: () => unknown[],
  reset: () => void,
): ScrapedMetric {
  const about = { name, help, type, aggregator: 'sum' as const };
  return { ...about, get: async () => ({ ...about, values: values() }), reset };
}

export class RequestSeries {
  readonly #series = new Map<string, Series>();

  /** One answered request; `method` is already one of the bounded names, `route` a route pattern. */
  record(route: string, method: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let s = this.#series.get(key);
    if (s === undefined) {
      s = { labels: { route, method, status: String(status) }, count: 0, sum: 0, buckets: [] };
      for (let i = 0; i <= DURATION_BUCKETS.length; i++) s.buckets.push(0);
      this.#series.set(key, s);
    }
    s.count++;
    s.sum += seconds;
    let i = 0;
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]!) i++;
    s.buckets[i]!++;
  }

  /** Registers both metrics on the registry, in this order. */
  register(
    registry: Registry,
    names: { requests: string; duration: string },
    help: { requests: string; duration: string },
  ): void {
    const series = this.#series;
    const requests = scraped(
      names.requests,
      help.requests,
      'counter',
      () => [...series.values()].map((s) => ({ labels: { ...s.labels }, value: s.count })),
      () => series.clear(),
    );
    const duration = scraped(
      names.duration,
      help.duration,
      'histogram',
      () =>
        [...series.values()].flatMap((s) => {
          let below = 0;
          const bucket = (le: number | string, value: number) => ({
            labels: { le },
            sharedLabels: s.labels,
            value,
            metricName: `${names.duration}_bucket`,
          });
          return [
            ...DURATION_BUCKETS.map((le, i) => {
              below += s.buckets[i]!;
              return bucket(le, below);
            }),
            bucket('+Inf', s.count),
            { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${names.duration}_sum` },
            { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${names.duration}_count` },
          ];
        }),
      () => series.clear(),
    );
    registry.registerMetric(requests as never);
    registry.registerMetric(duration as never);
  }
}
