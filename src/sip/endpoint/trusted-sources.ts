/**
 * The gateways we take calls from (as Exchange's UM IP gateways): addresses and CIDR ranges,
 * IPv4 or IPv6, checked with node:net's BlockList. Everyone else is answered 403. An IPv4
 * peer reached over an IPv6 socket (::ffff:a.b.c.d) is checked as the IPv4 address it is.
 */
import { BlockList, isIP } from 'node:net';

export class TrustedSources {
  readonly #list = new BlockList();
  readonly entries: readonly string[];

  constructor(entries: readonly string[]) {
    this.entries = entries;
    for (const entry of entries) {
      const [address, prefix] = entry.split('/') as [string, string?];
      const family = isIP(address);
      if (family === 0) throw new RangeError(`not an address: ${entry}`);
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.#list.addAddress(address, type);
      else {
        const bits = Number(prefix);
        if (!/^[0-9]{1,3}$/.test(prefix) || bits > (family === 6 ? 128 : 32))
          throw new RangeError(`not a CIDR range: ${entry}`);
        this.#list.addSubnet(address, bits, type);
      }
    }
  }

  has(address: string): boolean {
    const mapped = /^::ffff:([0-9.]+)$/i.exec(address);
    const plain = mapped ? mapped[1]! : address;
    const family = isIP(plain);
    if (family === 0) return false;
    return this.#list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** The default: loopback only, so that nothing answers the network until an administrator says who may call. */
export const LOOPBACK_ONLY = ['127.0.0.0/8', '::1'];
