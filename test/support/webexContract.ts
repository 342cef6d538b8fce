/**
 * Webex's published API contract as a test fixture: the OpenAPI documents in `../shared/webex-api/`
 * (Users, Groups and Bulk merged into one, since Prism serves one document a process) and
 * `@stoplight/prism-cli` (a devDependency, run from node_modules) as a validating proxy in front of
 * the local cloud on 127.0.0.1. Prism answers a request the documents reject with 422 and a
 * response they reject with 500, both as `application/problem+json` naming the violations;
 * a recorder in front of it keeps them (`PrismProxy.violations`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import YAML from 'yaml';

const ROOT = join(__dirname, '..', '..');

/** Where Webex's published documents live: `../shared/webex-api/` beside the clone, or `$DIRSYNC_WEBEX_API_DIR`. */
export function webexApiDir(): string {
  return process.env['DIRSYNC_WEBEX_API_DIR'] ?? join(ROOT, '..', 'shared', 'webex-api');
}

type OpenApi = {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, unknown>;
  components: Record<string, Record<string, unknown>>;
};

function readDoc(dir: string, file: string): OpenApi {
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`Webex's API document ${path} is missing (set DIRSYNC_WEBEX_API_DIR)`);
  return YAML.parse(readFileSync(path, 'utf8')) as OpenApi;
}

/**
 * One OpenAPI document with the paths and components of the given documents. A component name
 * present in two documents must have the same content there (Users and Groups both define an
 * identical `MetaObject`); a path present in two is an error.
 */
export function mergeOpenApi(docs: readonly OpenApi[], title: string): OpenApi {
  const merged: OpenApi = { openapi: docs[0]!.openapi, info: { title, version: '1.0.0' }, paths: {}, components: {} };
  for (const doc of docs) {
    for (const [path, item] of Object.entries(doc.paths)) {
      if (path in merged.paths) throw new Error(`path ${path} is in two documents`);
      merged.paths[path] = item;
    }
    for (const [section, entries] of Object.entries(doc.components ?? {})) {
      const target = (merged.components[section] ??= {});
      for (const [name, value] of Object.entries(entries)) {
        if (name in target && JSON.stringify(target[name]) !== JSON.stringify(value))
          throw new Error(`components.${section}.${name} differs between documents`);
        target[name] = value;
      }
    }
  }
  return merged;
}

/**
 * A correction of an artifact of the documents themselves (a schema that contradicts the same
 * document's examples, its Schemas document or RFC 7644): Prism cannot be told to let one
 * violation pass, so the merged document is corrected before Prism reads it. Keep them few, each
 * with its reason.
 */
export interface DocumentCorrection {
  /** A JSON pointer into the merged document (`/components/schemas/PatchUser/…`). */
  readonly pointer: string;
  /** The schema that replaces what is there. */
  readonly schema: unknown;
  readonly why: string;
}

function applyCorrection(doc: OpenApi, c: DocumentCorrection): void {
  const keys = c.pointer
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = doc as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (!next || typeof next !== 'object') throw new Error(`correction ${c.pointer}: nothing at ${k}`);
    node = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (!(last in node)) throw new Error(`correction ${c.pointer}: nothing to correct (has the document changed?)`);
  node[last] = c.schema;
}

/** Writes the merged SCIM document (Users + Groups + Bulk), corrected, as JSON to `file`; returns `file`. */
export function writeScimContract(file: string, corrections: readonly DocumentCorrection[] = [], dir = webexApiDir()): string {
  const docs = ['webex-scim-2-users.yml', 'webex-scim-2-groups.yml', 'webex-bulk-manage-scim-2-users-and-groups.yml'].map((f) =>
    readDoc(dir, f),
  );
  const merged = mergeOpenApi(docs, 'Webex SCIM 2 Users, Groups and Bulk');
  for (const c of corrections) applyCorrection(merged, c);
  writeFileSync(file, JSON.stringify(merged));
  return file;
}

/** Writes Webex's Organization Contacts document, corrected, as JSON to `file`; returns `file`. */
export function writeContactsContract(file: string, corrections: readonly DocumentCorrection[] = [], dir = webexApiDir()): string {
  const doc = readDoc(dir, 'webex-organization-contacts.yml');
  for (const c of corrections) applyCorrection(doc, c);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/**
 * A front on 127.0.0.1 that sends each request to the first route whose prefix its path starts
 * with, the prefix replaced by the target URL's path (`/v1/contacts/` → `…/contacts/`): one origin for a
 * client that derives one API's URL from another's (Webex's contacts API from its SCIM URL).
 */
export async function startRouter(
  routes: ReadonlyArray<{ readonly prefix: string; readonly target: string }>,
): Promise<{ url: string; close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true });
  const server = createHttpServer((req, res) => {
    const path = req.url ?? '/';
    const route = routes.find((r) => path.startsWith(r.prefix));
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`no route for ${path}`);
      return;
    }
    const target = new URL(route.target);
    const up = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + path.slice(route.prefix.length),
        method: req.method,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** One violation Prism reported: the request, which side broke the document, where, and how. */
export interface Violation {
  readonly method: string;
  /** The request path with its query. */
  readonly path: string;
  /** The HTTP status the client got (422: request rejected, 500: response rejected, else the upstream's). */
  readonly status: number;
  /** `request` or `response` (the first element of Prism's `location`). */
  readonly side: string;
  /** The rest of Prism's `location`, joined with dots (`body.Operations.0.value`). */
  readonly location: string;
  readonly severity: string;
  readonly message: string;
}

export interface PrismProxy {
  /** `http://127.0.0.1:<port>`: a recorder in front of Prism; point `cloud.url` here. */
  readonly url: string;
  /** Every violation Prism reported, in order. */
  readonly violations: Violation[];
  /** Requests that went through. */
  readonly requests: Array<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const PRISM = join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

interface PrismValidation {
  location?: string[];
  severity?: string;
  message?: string;
}

function violationsOf(method: string, path: string, status: number, list: PrismValidation[]): Violation[] {
  return list.map((v) => ({
    method,
    path,
    status,
    side: v.location?.[0] === 'response' ? 'response' : 'request',
    location: (v.location?.[0] === 'response' ? v.location.slice(1) : (v.location ?? [])).join('.'),
    severity: (v.severity ?? '').toLowerCase(),
    message: v.message ?? '',
  }));
}

/**
 * What Prism said about one exchange: with `--errors`, a rejected request is a 422 and a rejected
 * response a 500, each `application/problem+json` with a `validation` list; violations that are
 * not errors (and the errors of a rejected response) also come in the `sl-violations` header.
 */
function readViolations(method: string, path: string, status: number, headers: IncomingHttpHeaders, body: Buffer): Violation[] {
  const header = headers['sl-violations'];
  if (typeof header === 'string' && header.startsWith('['))
    return violationsOf(method, path, status, JSON.parse(header) as PrismValidation[]);
  if (!String(headers['content-type'] ?? '').includes('problem+json')) return [];
  let problem: { type?: string; title?: string; detail?: string; validation?: PrismValidation[] };
  try {
    problem = JSON.parse(body.toString('utf8')) as typeof problem;
  } catch {
    problem = { type: 'unreadable', title: body.toString('utf8').slice(0, 300) };
  }
  if (problem.validation) return violationsOf(method, path, status, problem.validation);
  return [
    {
      method,
      path,
      status,
      side: 'prism',
      location: '',
      severity: 'error',
      message: `${problem.type} ${problem.title} ${problem.detail ?? ''}`,
    },
  ];
}

/** Starts `prism proxy` on 127.0.0.1 and resolves with its port once it listens. */
async function spawnPrism(spec: string, upstream: string): Promise<{ port: number; child: ChildProcess; exited: Promise<number | null> }> {
  if (!existsSync(PRISM)) throw new Error('@stoplight/prism-cli is not installed: run `npm ci`');
  const port = await freePort();
  const child = spawn(process.execPath, [PRISM, 'proxy', spec, upstream, '--errors', '-h', '127.0.0.1', '-p', String(port)], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let log = '';
  await new Promise<void>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (log.length < 20_000) log += line + '\n';
        if (/Prism is listening on/.test(line)) resolve();
      });
    }
    void exited.then((code) => reject(new Error(`prism exited with ${code} before listening:\n${log}`)));
  });
  return { port, child, exited };
}

/**
 * `prism proxy <spec> <upstream> --errors` (from node_modules: nothing is installed at run time)
 * with a recorder in front that keeps every violation Prism reports. Both on 127.0.0.1.
 */
export async function startPrismProxy(spec: string, upstream: string): Promise<PrismProxy> {
  const prism = await spawnPrism(spec, upstream);
  const violations: Violation[] = [];
  const requests: PrismProxy['requests'] = [];
  const agent = new Agent({ keepAlive: true });
  const recorder = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = httpRequest(
        { host: '127.0.0.1', port: prism.port, path: req.url, method: req.method, headers: req.headers, agent },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            const bytes = Buffer.concat(body);
            const method = req.method ?? '';
            const status = answer.statusCode ?? 0;
            requests.push({ method, path: req.url ?? '', status });
            violations.push(...readViolations(method, req.url ?? '', status, answer.headers, bytes));
            res.writeHead(status, answer.headers);
            res.end(bytes);
          });
        },
      );
      up.on('error', (err) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  const port = (recorder.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    violations,
    requests,
    async close() {
      recorder.closeAllConnections();
      await new Promise<void>((resolve) => recorder.close(() => resolve()));
      agent.destroy();
      if (prism.child.exitCode === null) prism.child.kill('SIGTERM');
      await prism.exited;
    },
  };
}
