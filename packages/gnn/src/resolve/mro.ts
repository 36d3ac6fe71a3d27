/**
 * C3 linearization. `bases(c)` lists a class's direct bases in order. Returns null when the
 * hierarchy is inconsistent (Python raises TypeError there); callers then fall back to a
 * depth-first order.
 */
export function c3(start: string, bases: (c: string) => readonly string[], seen: Set<string> = new Set()): string[] | null {
  if (seen.has(start)) return null; // a cycle through a bad base expression
  seen.add(start);
  const lists: string[][] = [];
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
    let head: string | undefined;
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
export function dfsOrder(start: string, bases: (c: string) => readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (c: string) => {
    if (seen.has(c)) return;
    seen.add(c);
    out.push(c);
    for (const b of bases(c)) visit(b);
  };
  visit(start);
  return out;
}
