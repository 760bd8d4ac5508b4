import { describe, expect, it } from 'vitest';
import { createRelayMetrics } from './metrics.ts';

describe('relay metrics', () => {
  it('counts per label set and in total', async () => {
    const m = createRelayMetrics();
    m.deadLettered.inc({ reason: 'bad_payload' });
    m.deadLettered.inc({ reason: 'bad_payload' }, 2);
    m.deadLettered.inc({ reason: 'webhook_invalid' });
    expect(await m.deadLettered.value({ reason: 'bad_payload' })).toBe(3);
    expect(await m.deadLettered.value()).toBe(4);
    expect(await m.deadLettered.byLabel('reason')).toEqual({ bad_payload: 3, webhook_invalid: 1 });
  });

  it('renders the Prometheus text format, default process metrics included', async () => {
    const m = createRelayMetrics();
    m.events.inc({ outcome: 'delivered' }, 5);
    m.latency.observe(0.004);
    m.latency.observe(3);
    m.streamLength.set(7);
    const text = await m.registry.metrics();
    expect(text).toContain('# TYPE lockdown_relay_events_total counter');
    expect(text).toContain('lockdown_relay_events_total{outcome="delivered"} 5');
    expect(text).toContain('# TYPE lockdown_relay_delivery_latency_seconds histogram');
    expect(text).toContain('lockdown_relay_delivery_latency_seconds_bucket{le="0.005"} 1');
    expect(text).toContain('lockdown_relay_delivery_latency_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain('lockdown_relay_delivery_latency_seconds_count 2');
    expect(text).toContain('lockdown_relay_stream_length 7');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('escapes label values', async () => {
    const m = createRelayMetrics();
    m.subscribers.set({ channel: 'a"b\\c' }, 1);
    expect(await m.registry.metrics()).toContain('lockdown_relay_pubsub_subscribers{channel="a\\"b\\\\c"} 1');
  });
});
