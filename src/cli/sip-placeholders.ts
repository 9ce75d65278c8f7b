/**
 * PLACEHOLDERS until the voice dialogue and the RTP media sessions are merged: `umpin serve`
 * answers calls with these so that a PBX can already be pointed at it and its signalling
 * checked (OPTIONS, INVITE, BYE, TLS). The media placeholder reserves a UDP port per call and
 * neither sends nor listens to audio; the dialogue placeholder plays nothing and hangs up
 * after a second. Both are replaced at merge by the real implementations.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { MediaSession, MediaSessions, PendingMedia } from '../sip/call-media.js';
import type { CallHandler } from '../sip/endpoint/sip-endpoint.js';

export const placeholderSilentCall: CallHandler = async (call) => {
  await new Promise((r) => setTimeout(r, 1000));
  await call.hangUp();
};

export class PlaceholderRtpPorts implements MediaSessions {
  async allocate(options: { readonly secure: boolean }): Promise<PendingMedia> {
    const socket = createSocket('udp4');
    socket.on('message', () => undefined);
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.bind(0, resolve));
    const localPort = socket.address().port;
    const localKey = options.secure ? { key: randomBytes(16), salt: randomBytes(14) } : null;
    let open = true;
    const close = () => {
      if (open) socket.close();
      open = false;
    };
    return {
      localPort,
      localKey,
      release: close,
      start: (first) => {
        let audio = first;
        let closed!: () => void;
        const done = new Promise<void>((r) => {
          closed = r;
        });
        const session: MediaSession = {
          localPort,
          localKey,
          get audio() {
            return audio;
          },
          update: (next) => {
            audio = next;
          },
          onDigit: () => () => undefined,
          play: async () => 'done',
          stopPlayback: () => undefined,
          closed: done,
          close: async () => {
            close();
            closed();
          },
        };
        return session;
      },
    };
  }
}
