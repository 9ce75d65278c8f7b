/**
 * One HTTP request with a bearer token over node:http (an agent of the caller's choosing, for
 * keep-alive sockets in the hammers), answered with its status and body text.
 */
import http from 'node:http';

export interface Reply {
  status: number;
  body: string;
}

export function request(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: object,
  agent?: http.Agent,
): Promise<Reply> {
  const u = new URL(path, base);
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(data === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
