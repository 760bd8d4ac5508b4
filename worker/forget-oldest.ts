// Bounds the relay's in-memory memos (ids it has looked up or lost, numbers it has taken), which
// would otherwise grow with every guild and entry it ever sees: past `limit` entries the oldest
// `drop` are forgotten in one go, so the cost is paid rarely. A forgotten entry is only looked up
// again; none of these memos is needed for correctness.
export function forgetOldest(memo: Map<unknown, unknown> | Set<unknown>, limit: number, drop: number): void {
  if (memo.size <= limit) return;
  let forgotten = 0;
  // Maps and Sets iterate in insertion order, and deleting the current key keeps iteration valid.
  for (const key of memo.keys()) {
    if (forgotten++ >= drop) break;
    memo.delete(key);
  }
}
