/**
 * Binding a call's RTP socket: an even port of the range, starting at a random one so that
 * consecutive calls do not reuse a port the last call's peer may still be sending to, and
 * skipping ports the system reports in use. Without a range the system picks (port 0, for
 * tests).
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { PortRange } from './port-range.js';

export class RtpPortsExhausted extends Error {
  constructor(range: PortRange) {
    super(`no free RTP port in ${range.min}-${range.max}`);
    this.name = 'RtpPortsExhausted';
  }
}

function bindOnce(address: string, port: number): Promise<Socket | null> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4' });
    const onError = (err: NodeJS.ErrnoException) => {
      socket.close();
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(null);
      else reject(err);
    };
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

export async function bindRtpSocket(address: string, range: PortRange | null): Promise<Socket> {
  if (range === null) {
    const socket = await bindOnce(address, 0);
    if (socket === null) throw new Error('cannot bind an RTP socket');
    return socket;
  }
  const first = range.min + (range.min % 2);
  const evens = Math.floor((range.max - first) / 2) + 1;
  const start = randomInt(evens);
  for (let i = 0; i < evens; i++) {
    const port = first + 2 * ((start + i) % evens);
    const socket = await bindOnce(address, port);
    if (socket !== null) return socket;
  }
  throw new RtpPortsExhausted(range);
}
