// A local HTTP listener that hostile mails point at: any request reaching it means the UI let a mail
// load or send something.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Attacker {
  readonly url: string;
  readonly hits: string[];
  close(): Promise<void>;
}

export async function startAttacker(): Promise<Attacker> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method ?? '?'} ${request.url ?? ''}`);
    response.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    response.end('gotcha');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
