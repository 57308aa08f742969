/**
 * JSON.parse that keeps integers beyond 2^53 exact: WuKongIM writes int64
 * message ids as bare numbers, which JSON.parse would round. Walks the text
 * once, outside strings, and quotes every integer literal too large to be
 * exact; everything else parses as usual.
 */
export function parseJsonKeepingBigInts(text: string): unknown {
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < text.length && isNumberChar(text.charCodeAt(j))) j++;
      const literal = text.slice(i, j);
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(last, i)}"${literal}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}

function isNumberChar(c: number) {
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}

const INT64_MARK = "\u0000int64:";

/**
 * JSON.stringify that writes bigint values as bare integer literals, digit for
 * digit — the way WuKongIM's Go server reads int64 fields (message_ids) —
 * where JSON.stringify would throw, and a JS number would round.
 */
export function stringifyJsonWithBigInts(value: unknown): string {
  const text = JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? `${INT64_MARK}${v}` : v));
  return text.replace(/"\\u0000int64:(-?\d+)"/g, "$1");
}
