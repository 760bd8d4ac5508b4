import { describe, expect, it } from 'vitest';
import { Counter, gauge, Histogram, renderPrometheus } from './metrics.ts';

describe('metrics', () => {
  it('counts per label set and in total', () => {
    const c = new Counter('x_total', 'X.');
    c.inc({ reason: 'a' });
    c.inc({ reason: 'a' }, 2);
    c.inc({ reason: 'b' });
    expect(c.value({ reason: 'a' })).toBe(3);
    expect(c.value()).toBe(4);
    expect(c.byLabel('reason')).toEqual({ a: 3, b: 1 });
  });

  it('renders the Prometheus text format', () => {
    const c = new Counter('lockdown_relay_events_total', 'Events handled.');
    c.inc({ outcome: 'delivered' }, 5);
    const h = new Histogram('lockdown_relay_latency_seconds', 'Latency.', [0.1, 1]);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(3);
    const text = renderPrometheus([
      c.family(),
      h.family(),
      gauge('lockdown_relay_stream_length', 'Entries "in" the\nstream.', [{ value: 7 }]),
      new Counter('lockdown_unused_total', 'Never counted.').family(),
    ]);
    expect(text).toBe(
      [
        '# HELP lockdown_relay_events_total Events handled.',
        '# TYPE lockdown_relay_events_total counter',
        'lockdown_relay_events_total{outcome="delivered"} 5',
        '# HELP lockdown_relay_latency_seconds Latency.',
        '# TYPE lockdown_relay_latency_seconds histogram',
        'lockdown_relay_latency_seconds_bucket{le="0.1"} 1',
        'lockdown_relay_latency_seconds_bucket{le="1"} 2',
        'lockdown_relay_latency_seconds_bucket{le="+Inf"} 3',
        'lockdown_relay_latency_seconds_sum 3.55',
        'lockdown_relay_latency_seconds_count 3',
        '# HELP lockdown_relay_stream_length Entries "in" the\\nstream.',
        '# TYPE lockdown_relay_stream_length gauge',
        'lockdown_relay_stream_length 7',
        '# HELP lockdown_unused_total Never counted.',
        '# TYPE lockdown_unused_total counter',
        'lockdown_unused_total 0',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values', () => {
    expect(renderPrometheus([gauge('g', 'h', [{ labels: { channel: 'a"b\\c' }, value: 1 }])])).toContain(
      'g{channel="a\\"b\\\\c"} 1',
    );
  });
});
