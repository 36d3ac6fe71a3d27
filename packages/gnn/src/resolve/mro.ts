/**
 * C3 linearization. `bases(c)` lists a class's direct bases in order. Returns null when the
 * hierarchy is inconsistent (Python raises TypeError there); callers then fall back to a
 * depth-first order.
 */
export function c3<T>(start: T, bases: (c: T) => readonly T[], seen: Set<T> = new Set()): T[] | null {
  if (seen.has(start)) return null; // a cycle through a bad base expression
  seen.add(start);
  const lists: T[][] = [];
  for (const b of bases(start)) {
    const l = c3(b, bases, new Set(seen));
    if (!l) return null;
    lists.push(l);
  }
  lists.push([...bases(start)]);
  const out = [start];
  for (;;) {
    const nonEmpty = lists.filter((l) => l.length > 0);
    if (nonEmpty.length === 0) return out;
    let head: T | undefined;
    for (const l of nonEmpty) {
      const cand = l[0];
      if (cand !== undefined && !nonEmpty.some((o) => o.indexOf(cand) > 0)) {
        head = cand;
        break;
      }
    }
    if (head === undefined) return null;
    out.push(head);
    for (const l of nonEmpty) if (l[0] === head) l.shift();
  }
}

/** Depth-first, left-to-right order without duplicates: the fallback when C3 fails. */
export function dfsOrder<T>(start: T, bases: (c: T) => readonly T[]): T[] {
  const out: T[] = [];
  const seen = new Set<T>();
  const visit = (c: T) => {
    if (seen.has(c)) return;
    seen.add(c);
    out.push(c);
    for (const b of bases(c)) visit(b);
  };
  visit(start);
  return out;
}
