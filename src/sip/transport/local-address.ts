/**
 * Our address as a given peer reaches it, for Via, Contact and the SDP c= line. When we listen
 * on one address that is the answer; on a wildcard (0.0.0.0, ::) the kernel's routing decides,
 * and a connected UDP socket asks it without sending a packet. Answers are cached per peer.
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';

const cache = new Map<string, string>();

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '';
}

export async function localAddressToward(bound: string, remote: string): Promise<string> {
  if (!isWildcard(bound)) return bound;
  const hit = cache.get(remote);
  if (hit !== undefined) return hit;
  const family = isIP(remote) === 6 ? 'udp6' : 'udp4';
  const found = await new Promise<string>((resolve) => {
    const s = createSocket(family);
    const fallback = family === 'udp6' ? '::1' : '127.0.0.1';
    s.on('error', () => {
      s.close();
      resolve(fallback);
    });
    s.connect(9, remote, () => {
      const a = s.address().address;
      s.close();
      resolve(a);
    });
  });
  if (cache.size > 1000) cache.clear();
  cache.set(remote, found);
  return found;
}
