import { describe, expect, it } from 'vitest';
import { FaultBook, faultProblem } from './faults.ts';
import { RequestLog } from './request-log.ts';

describe('FaultBook', () => {
  it('answers the next `count` matching requests, then stops', () => {
    const book = new FaultBook();
    book.add({ method: 'post', path: '^/webhooks/1/', count: 2, status: 500 });
    expect(book.take('GET', '/webhooks/1/t')).toBeNull();
    expect(book.take('POST', '/webhooks/2/t')).toBeNull();
    expect(book.take('POST', '/webhooks/1/t')?.status).toBe(500);
    expect(book.take('POST', '/webhooks/1/t')?.status).toBe(500);
    expect(book.take('POST', '/webhooks/1/t')).toBeNull();
  });

  it('can be removed before it is spent', () => {
    const book = new FaultBook();
    const id = book.add({ path: 'bans', count: 5, status: 503 });
    expect(book.remove(id)).toBe(true);
    expect(book.remove(id)).toBe(false);
    expect(book.take('PUT', '/guilds/1/bans/2')).toBeNull();
  });
});

describe('faultProblem', () => {
  it('explains what is wrong with a spec', () => {
    expect(faultProblem({ path: 'x', count: 1, status: 500 })).toBeNull();
    expect(faultProblem({ path: 'x', count: 1, status: 0, delayMs: 10 })).toBeNull();
    expect(faultProblem({ path: '(', count: 1, status: 500 })).toMatch(/regular expression/);
    expect(faultProblem({ path: 'x', count: 0, status: 500 })).toMatch(/count/);
    expect(faultProblem({ path: 'x', count: 1, status: 42 })).toMatch(/status/);
    expect(faultProblem(null)).toMatch(/FaultSpec/);
  });
});

describe('RequestLog', () => {
  const entry = (path: string, method = 'GET') => ({
    at: 0,
    method,
    path,
    query: {},
    headers: {},
    auditLogReason: null,
    body: null,
  });

  it('numbers requests and filters by path substring, sequence and method', () => {
    const log = new RequestLog();
    log.record(entry('/guilds/1/bans/2', 'PUT'));
    const second = log.record(entry('/guilds/9/members/2'));
    log.record(entry('/guilds/1/members/3', 'DELETE'));
    expect(log.find({ contains: '/guilds/1/' }).map((r) => r.seq)).toEqual([1, 3]);
    expect(log.find({ since: second.seq }).map((r) => r.seq)).toEqual([3]);
    expect(log.find({ method: 'put' }).map((r) => r.path)).toEqual(['/guilds/1/bans/2']);
    expect(log.lastSeq).toBe(3);
  });

  it('keeps only the newest entries past its capacity', () => {
    const log = new RequestLog(2);
    for (let i = 0; i < 3; i++) log.record(entry(`/x/${i}`));
    expect(log.find().map((r) => r.path)).toEqual(['/x/1', '/x/2']);
  });
});
