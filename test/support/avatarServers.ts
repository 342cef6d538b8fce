/**
 * Local HTTP(S) servers for the avatar integration tests, on 127.0.0.1 with ephemeral ports:
 * a resource server with routes for every behaviour the source must handle, a PUT/HEAD object
 * store for publishing, and a forward proxy. They emit events so tests wait on what happened,
 * never on time.
 */
import { execFile } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const BASIC_USER = 'svc-avatars';
export const BASIC_PASSWORD = 'pw-7d1e5c';
export const BEARER_TOKEN = 'tok-3b9f01';

export interface Tls {
  readonly cert: string;
  readonly key: string;
}

/** A self-signed certificate for 127.0.0.1 (openssl, as the Samba fixture uses). */
export async function makeTls(): Promise<Tls> {
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-avatar-tls-'));
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-sha256',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  const tls = { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  rmSync(dir, { recursive: true, force: true });
  return tls;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly headers: IncomingMessage['headers'];
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export class TestServer extends EventEmitter {
  readonly requests: RequestRecord[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly server: Server) {
    super();
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  get origin(): string {
    const a = this.server.address() as AddressInfo;
    return `${'cert' in this.server ? 'https' : 'http'}://127.0.0.1:${a.port}`;
  }

  url(path: string): string {
    return this.origin + path;
  }

  /** Resolves when `predicate` holds, checked now and after every event of this server. */
  waitFor(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (predicate()) {
          this.off('changed', check);
          resolve();
        }
      };
      this.on('changed', check);
    });
  }

  changed(): void {
    this.emit('changed');
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function listen(tls: Tls | undefined, handler: Handler): Promise<TestServer> {
  let test!: TestServer;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      test.requests.push({
        method: req.method!,
        path: req.url!,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        headers: req.headers,
      });
      test.inFlight++;
      test.maxInFlight = Math.max(test.maxInFlight, test.inFlight);
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        test.inFlight--;
        test.changed();
      };
      res.on('close', finish);
      test.changed();
      handler(req, res, Buffer.concat(chunks));
    });
  };
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, onRequest) : createHttpServer(onRequest);
  test = new TestServer(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return test;
}

export interface PhotoServer extends TestServer {
  /** Pictures served under /photos/, /basic/, /bearer/, /gated/, /slow/ by file name. */
  readonly files: Map<string, { bytes: Uint8Array; type: string }>;
  /** Requests held by /slow/ and /gated/ that the client has not abandoned. */
  readonly held: Set<ServerResponse>;
  /** /slow/ requests the client gave up on (the connection closed before an answer). */
  abandoned: number;
  /** Bytes /stream/ wrote before the client closed, and whether it ever finished. */
  streamed: { bytes: number; finished: boolean; closed: boolean };
  /** Answers every held /gated/ request. */
  releaseGated(): void;
  /** Target origin for /to-other/ redirects. */
  redirectTarget?: string;
}

/**
 * The resource server. Routes:
 *   /photos/<f>          the file, or 404
 *   /gone/<f>            410
 *   /basic/<f>, /bearer/<f>   the file with the right Authorization, else 401 (+ WWW-Authenticate)
 *   /forbidden/<f>       403
 *   /status/<n>          that status
 *   /html/<f>            200 text/html (an SSO login page)
 *   /slow/<f>            never answers; counts clients that give up
 *   /gated/<f>           answers when the test calls releaseGated()
 *   /stream/<f>          200 image/jpeg, no Content-Length, 64 MiB in 64 KiB chunks with backpressure
 *   /declared/<f>        Content-Length: 1 GiB, then nothing
 *   /redirect/<n>/<f>    n redirects, then /photos/<f>
 *   /to-other/<f>        302 to redirectTarget + /photos/<f> (e.g. https → http)
 */
export async function startPhotoServer(tls?: Tls): Promise<PhotoServer> {
  const files = new Map<string, { bytes: Uint8Array; type: string }>();
  const held = new Set<ServerResponse>();
  const gated: ServerResponse[] = [];
  let self!: PhotoServer;
  const serve = (res: ServerResponse, name: string): void => {
    const f = files.get(name);
    if (!f) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such photo');
      return;
    }
    res.writeHead(200, { 'content-type': f.type, 'content-length': f.bytes.length }).end(f.bytes);
  };
  const server = await listen(tls, (req, res) => {
    const [, route = '', ...rest] = (req.url ?? '').split('/');
    const name = rest.join('/');
    switch (route) {
      case 'photos':
        return serve(res, name);
      case 'gone':
        return void res.writeHead(410).end();
      case 'basic': {
        const want = 'Basic ' + Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64');
        if (req.headers.authorization !== want) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="photos"' }).end();
        return serve(res, name);
      }
      case 'bearer':
        if (req.headers.authorization !== `Bearer ${BEARER_TOKEN}`) return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
        return serve(res, name);
      case 'forbidden':
        return void res.writeHead(403).end();
      case 'status':
        return void res.writeHead(Number(name)).end();
      case 'html':
        return void res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!DOCTYPE html><html><body>Sign in</body></html>');
      case 'slow':
        held.add(res);
        res.on('close', () => {
          held.delete(res);
          self.abandoned++;
          self.changed();
        });
        return self.changed();
      case 'gated':
        held.add(res);
        gated.push(res);
        res.on('close', () => held.delete(res));
        return self.changed();
      case 'stream': {
        self.streamed = { bytes: 0, finished: false, closed: false };
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        const chunk = Buffer.alloc(64 * 1024, 0x55);
        chunk[0] = 0xff;
        chunk[1] = 0xd8;
        let sent = 0;
        const pump = (): void => {
          while (sent < 1024 && !res.destroyed) {
            sent++;
            self.streamed.bytes += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (sent >= 1024) res.end(() => (self.streamed.finished = true));
        };
        res.on('close', () => {
          self.streamed.closed = true;
          self.changed();
        });
        return pump();
      }
      case 'declared':
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(1024 ** 3) });
        res.on('close', () => self.changed());
        return void res.write(Buffer.from([0xff, 0xd8, 0xff]));
      case 'redirect': {
        const [n = '0', ...file] = name.split('/');
        const left = Number(n);
        const next = left > 1 ? `/redirect/${left - 1}/${file.join('/')}` : `/photos/${file.join('/')}`;
        return void res.writeHead(302, { location: next }).end();
      }
      case 'to-other':
        return void res.writeHead(302, { location: `${self.redirectTarget}/photos/${name}` }).end();
      default:
        return void res.writeHead(404).end();
    }
  });
  self = Object.assign(server, {
    files,
    held,
    abandoned: 0,
    streamed: { bytes: 0, finished: false, closed: false },
    releaseGated() {
      for (const res of gated.splice(0)) {
        held.delete(res);
        const name = (res.req.url ?? '').split('/').slice(2).join('/');
        serve(res, name);
      }
    },
  }) as PhotoServer;
  return self;
}

export interface ObjectStore extends TestServer {
  readonly objects: Map<string, { bytes: Buffer; type: string }>;
  /** Basic credentials required for PUT and HEAD, when set. */
  requireAuth?: string;
  /** Answer the next PUT with this status instead of storing. */
  nextPutStatus?: number;
}

/** A tiny S3/WebDAV-like object store: HEAD, PUT (honours If-None-Match: *), GET (public). */
export async function startObjectStore(): Promise<ObjectStore> {
  const objects = new Map<string, { bytes: Buffer; type: string }>();
  let self!: ObjectStore;
  const server = await listen(undefined, (req, res, body) => {
    const path = req.url ?? '/';
    if (req.method !== 'GET' && self.requireAuth && req.headers.authorization !== self.requireAuth) {
      return void res.writeHead(401, { 'www-authenticate': 'Basic realm="avatars"' }).end();
    }
    const obj = objects.get(path);
    if (req.method === 'HEAD' || req.method === 'GET') {
      if (!obj) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': obj.type, 'content-length': obj.bytes.length });
      return void res.end(req.method === 'GET' ? obj.bytes : undefined);
    }
    if (req.method === 'PUT') {
      if (self.nextPutStatus) {
        const status = self.nextPutStatus;
        self.nextPutStatus = undefined;
        return void res.writeHead(status).end();
      }
      if (obj && req.headers['if-none-match'] === '*') return void res.writeHead(412).end();
      objects.set(path, { bytes: body, type: String(req.headers['content-type']) });
      return void res.writeHead(obj ? 204 : 201).end();
    }
    res.writeHead(405).end();
  });
  self = Object.assign(server, { objects }) as ObjectStore;
  return self;
}

export interface Proxy {
  readonly url: string;
  /** Targets asked of the proxy: `CONNECT host:port` or absolute-form URLs. */
  readonly seen: string[];
  close(): Promise<void>;
}

/** A forward proxy (CONNECT tunnels and absolute-form requests), counting what went through it. */
export async function startProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    seen.push(req.url!);
    const target = new URL(req.url!);
    const up = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
