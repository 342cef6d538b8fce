/**
 * A TCP proxy on an ephemeral 127.0.0.1 port in front of the shared Samba DC, to play a directory
 * that stalls (holds what the server sends until released) or goes away (every connection cut,
 * new ones refused). Events say when it holds data, so tests wait on them, never on time.
 */
import { EventEmitter, once } from 'node:events';
import * as net from 'node:net';

export class TcpProxy extends EventEmitter {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private stalled = false;
  private held: Array<() => void> = [];
  connections = 0;
  /** `ldap://127.0.0.1:<port>` (kept after `cut`). */
  url = '';

  private constructor(private readonly upstreamPort: number) {
    super();
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(upstreamPort = 389): Promise<TcpProxy> {
    const p = new TcpProxy(upstreamPort);
    p.server.listen(0, '127.0.0.1');
    await once(p.server, 'listening');
    p.url = `ldap://127.0.0.1:${(p.server.address() as net.AddressInfo).port}`;
    return p;
  }

  private accept(client: net.Socket): void {
    this.connections++;
    const upstream = net.connect(this.upstreamPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (!this.stalled) {
        client.write(chunk);
        return;
      }
      this.held.push(() => client.write(chunk));
      this.emit('held', this.held.length);
    });
  }

  /** From now on, answers from the directory are held back (the client waits). */
  stall(): void {
    this.stalled = true;
  }

  /** Lets everything held through, and stops holding. */
  release(): void {
    this.stalled = false;
    const held = this.held;
    this.held = [];
    for (const f of held) f();
  }

  /** The directory goes away: every connection cut, new ones refused. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  async close(): Promise<void> {
    this.release();
    if (this.server.listening) await this.cut();
    for (const s of this.sockets) s.destroy();
  }
}
