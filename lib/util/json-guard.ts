const MAX_DEPTH = 32;

/**
 * What PostgreSQL cannot store, refused at the edge instead of failing in a
 * query: NUL characters and lone surrogates in text/jsonb, and nesting deep
 * enough to exhaust a recursive parser. Walks iteratively; returns the
 * problem, or null.
 */
export function findUnsafeJson(value: unknown, maxDepth = MAX_DEPTH): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v === "string") {
      const bad = unsafeString(v);
      if (bad) return bad;
    } else if (v && typeof v === "object") {
      if (depth >= maxDepth) return `nested deeper than ${maxDepth} levels`;
      for (const [k, child] of Object.entries(v)) {
        const bad = unsafeString(k);
        if (bad) return bad;
        stack.push([child, depth + 1]);
      }
    }
  }
  return null;
}

export function unsafeString(s: string): string | null {
  if (s.includes("\u0000")) return "text contains a NUL character";
  if (!s.isWellFormed()) return "text contains an unpaired surrogate";
  return null;
}
