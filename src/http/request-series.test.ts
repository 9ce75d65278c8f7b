import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestSeries } from './request-series.js';

describe('RequestSeries', () => {
  it('is scraped as prom-client writes a counter and a histogram: cumulative buckets, bounds inclusive', async () => {
    const registry = new Registry();
    const series = new RequestSeries();
    series.register(registry, { requests: 'req_total', duration: 'req_seconds' }, { requests: 'R.', duration: 'D.' });
    series.record('/a/:id', 'GET', 200, 0.001);
    series.record('/a/:id', 'GET', 200, 0.003);
    series.record('/a/:id', 'GET', 200, 11);
    series.record('unmatched', 'POST', 404, 0.0001);
    const text = await registry.metrics();
    const lines = text.split('\n');
    expect(lines).toContain('req_total{route="/a/:id",method="GET",status="200"} 3');
    expect(lines).toContain('req_total{route="unmatched",method="POST",status="404"} 1');
    expect(lines).toContain('req_seconds_bucket{le="0.001",route="/a/:id",method="GET",status="200"} 1');
    expect(lines).toContain('req_seconds_bucket{le="0.0025",route="/a/:id",method="GET",status="200"} 1');
    expect(lines).toContain('req_seconds_bucket{le="0.005",route="/a/:id",method="GET",status="200"} 2');
    expect(lines).toContain('req_seconds_bucket{le="10",route="/a/:id",method="GET",status="200"} 2');
    expect(lines).toContain('req_seconds_bucket{le="+Inf",route="/a/:id",method="GET",status="200"} 3');
    expect(lines).toContain('req_seconds_sum{route="/a/:id",method="GET",status="200"} 11.004');
    expect(lines).toContain('req_seconds_count{route="unmatched",method="POST",status="404"} 1');
    expect(lines.slice(0, 2)).toEqual(['# HELP req_total R.', '# TYPE req_total counter']);
    expect(lines).toContain('# TYPE req_seconds histogram');
  });
});
