import { createServer, connect, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream?: Socket;
  /** Bytes held back while paused, in arrival order, per direction. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

/**
 * A TCP proxy in front of PostgreSQL that a test can break the way real outages do, without touching the server
 * itself (others use it): `cut()` closes every connection and refuses new ones (a stopped or restarting server),
 * `pause()` stops forwarding but keeps connections open and accepts new ones without answering (a frozen server,
 * e.g. SIGSTOP'd, or a network black hole), `restore()` undoes either.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private paused = false;
  private server: Server;

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
    server: Server,
  ) {
    this.server = server;
  }

  static async start(targetUrl: string): Promise<TcpProxy> {
    const url = new URL(targetUrl);
    const target = { host: url.hostname, port: Number(url.port || 5432) };
    const holder: { proxy?: TcpProxy } = {};
    const server = createServer((client) => holder.proxy?.accept(client));
    const port = await listen(server, 0);
    holder.proxy = new TcpProxy(target, port, server);
    return holder.proxy;
  }

  /** The same database URL, pointing at this proxy. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  pause(): void {
    this.paused = true;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    this.destroyAll();
    await closed;
  }

  async restore(): Promise<void> {
    if (!this.server.listening) {
      const server = createServer((client) => {
        this.accept(client);
      });
      await listen(server, this.port);
      this.server = server;
    }
    this.paused = false;
    for (const pair of this.pairs) {
      if (!pair.upstream) this.forward(pair);
      flush(pair.toUpstream, pair.upstream);
      flush(pair.toClient, pair.client);
    }
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.cut();
    else this.destroyAll();
  }

  private accept(client: Socket): void {
    const pair: Pair = { client, toUpstream: [], toClient: [] };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    });
    client.on('data', (chunk: Buffer) => {
      if (this.paused || !pair.upstream) pair.toUpstream.push(chunk);
      else pair.upstream.write(chunk);
    });
    // A frozen server still completes the TCP handshake (the kernel does), then never answers.
    if (!this.paused) this.forward(pair);
  }

  private forward(pair: Pair): void {
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => pair.client.destroy());
    upstream.on('data', (chunk: Buffer) => {
      if (this.paused) pair.toClient.push(chunk);
      else pair.client.write(chunk);
    });
    flush(pair.toUpstream, upstream);
  }

  private destroyAll(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream?.destroy();
    }
    this.pairs.clear();
  }
}

function flush(queue: Buffer[], to: Socket | undefined): void {
  if (!to) return;
  for (const chunk of queue.splice(0)) to.write(chunk);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
