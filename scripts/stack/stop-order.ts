// The order `make start` stops its parts in (issue 16): the API first, so requests in flight finish
// against a live worker; then the worker, so activities finish against a live database and Temporal;
// then everything else in the reverse order of its start (agency, Temporal, PostgreSQL…).
export function stopOrder<T extends { name: string }>(started: T[]): T[] {
  const rank = (s: T) => (s.name === 'api' ? 0 : s.name === 'worker' ? 1 : 2);
  return [...started].reverse().sort((a, b) => rank(a) - rank(b)); // sort is stable: the rest keep reverse order
}
