// Runs before `npm test`: the tests need PostgreSQL and Redis on 127.0.0.1.
import { ensurePostgres, ensureRedis } from '../dev/services.ts';

const problems = (await Promise.all([ensurePostgres(), ensureRedis()])).filter(
  (p): p is string => p !== null,
);
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
