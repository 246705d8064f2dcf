/*
 * What the rate limiter knows of a client: its network prefix, never its address. A /24 for IPv4 and a
 * /48 for IPv6 (what one household, office or carrier gateway typically holds), so a seizure of the limiter's
 * open windows could at most narrow a signer down to a network shared with many others.
 */

/** The client's prefix as text: "203.0.113.0/24" or "2001:db8:1::/48"; "unknown" when it does not parse. */
export function clientPrefix(address: string): string {
  const bare = address
    .trim()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const v4 = ipv4Octets(bare);
  if (v4) return `${v4[0]}.${v4[1]}.${v4[2]}.0/24`;
  const groups = ipv6Groups(bare);
  if (!groups) return "unknown";
  // An IPv4 address seen through a dual-stack socket (::ffff:a.b.c.d) is an IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.0/24`;
  }
  return `${groups
    .slice(0, 3)
    .map((g) => g.toString(16))
    .join(":")}::/48`;
}

function ipv4Octets(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

function ipv6Groups(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split("::").length > 2) return undefined;
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const parse = (part: string | undefined): number[] | undefined => {
    if (!part) return [];
    const groups: number[] = [];
    const pieces = part.split(":");
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = ipv4Octets(piece);
        if (!v4) return undefined;
        groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(Number.parseInt(piece, 16));
      } else return undefined;
    }
    return groups;
  };
  const front = parse(head);
  const back = parse(tail);
  if (!front || !back) return undefined;
  if (tail === undefined) return front.length === 8 ? front : undefined;
  const missing = 8 - front.length - back.length;
  if (missing < 1) return undefined;
  return [...front, ...Array<number>(missing).fill(0), ...back];
}
