/**
 * The inspector's local server: one self-contained page over HTTP and its state over a WebSocket.
 *
 * Bound to 127.0.0.1 unless a host is given explicitly. Requests must name the server itself in `Host`
 * (a guard against DNS rebinding); WebSocket upgrades must also come from the server's own origin.
 * Messages from the page are validated against a small whitelist (`commands.ts`) and nothing is evaluated.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Scenario } from '../model/scenario.ts';
import type { PolicyFactory } from '../policies/module.ts';
import { MAX_COMMAND_BYTES, parseCommand } from './commands.ts';
import { InspectorSession } from './session.ts';
import type { InspectFor } from './stately.ts';

export const DEFAULT_PORT = 7357;
export const DEFAULT_HOST = '127.0.0.1';
/**
 * A client that cannot keep up is skipped rather than buffered: each state is whole (but for its log
 * lines), so skipping one loses little, while a backlog would show the past for seconds.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** States sent to a page and not yet acknowledged (`drawn`), at most. */
const MAX_UNACKED = 2;

export interface InspectorOptions {
  scenario: Scenario;
  /** Built-in model names or labels of `policies`, side by side. */
  models: string[];
  /** Policy modules of the user's own, by label (`inspect --policy`). */
  policies?: ReadonlyMap<string, PolicyFactory>;
  /** 0 = an ephemeral port. */
  port?: number;
  host?: string;
  speed?: number;
  paused?: boolean;
  /** Attach Stately Inspect (needs internet in the browser that opens /stately). */
  stately?: boolean;
  /** Start by computing the warm-up, paused at its end. */
  afterWarmup?: boolean;
}

export interface InspectorHandle {
  url: string;
  port: number;
  host: string;
  session: InspectorSession;
  /** Present with `stately: true`: the page that relays to Stately's online inspector. */
  statelyUrl: string | null;
  close(): Promise<void>;
}

const PAGE_TEMPLATE = readFileSync(new URL('./page.html', import.meta.url), 'utf8');

function statelyBridge(nonce: string): string {
  // Stately's bridge protocol: forward each inspection event to the embedded inspector by postMessage.
  return `<!doctype html><html><head><meta charset="utf-8"><title>vhost-sim: Stately Inspect</title>
<style>html,body,iframe{margin:0;width:100%;height:100%;border:0}</style></head><body>
<iframe id="inspector" src="https://stately.ai/inspect"></iframe>
<script nonce="${nonce}">
const iframe = document.getElementById('inspector');
const buffer = [];
let connected = false;
window.addEventListener('message', (e) => {
  if (e.origin === 'https://stately.ai' && e.data && e.data.type === '@statelyai.connected') {
    connected = true;
    for (const ev of buffer) iframe.contentWindow.postMessage(ev, 'https://stately.ai');
    buffer.length = 0;
  }
});
const ws = new WebSocket(\`ws://\${location.host}/stately-ws\`);
ws.onmessage = (m) => {
  const ev = JSON.parse(m.data);
  if (connected) iframe.contentWindow.postMessage(ev, 'https://stately.ai');
  else buffer.push(ev);
};
</script></body></html>`;
}

/**
 * Which `Host` headers name this server: the bound address and the loopback spellings; on a wildcard
 * bind (0.0.0.0, ::) any IP literal too. Never a DNS name other than localhost, so a rebinding domain
 * cannot reach the server.
 */
export function hostChecker(host: string, port: number): (header: string) => boolean {
  const names = new Set<string>();
  const bracket = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);
  names.add(`${bracket(host)}:${port}`);
  for (const h of ['127.0.0.1', 'localhost', '[::1]']) names.add(`${h}:${port}`);
  const wildcard = host === '0.0.0.0' || host === '::';
  const ipLiteral = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]):(\d+)$/;
  return (header) => {
    if (names.has(header)) return true;
    const m = wildcard ? ipLiteral.exec(header) : null;
    return m !== null && Number(m[3]) === port;
  };
}

/** Start the session and the server; resolves once listening. */
export async function startInspector(opts: InspectorOptions): Promise<InspectorHandle> {
  const host = opts.host ?? DEFAULT_HOST;
  const relay: WebSocket[] = [];
  const relayBuffer: string[] = [];
  let inspectFor: InspectFor | undefined;
  if (opts.stately) {
    const { attachStately } = await import('./stately.ts');
    inspectFor = await attachStately((text, keep) => {
      if (keep) relayBuffer.push(text);
      for (const ws of relay) if (ws.readyState === ws.OPEN) ws.send(text);
    });
  }
  const session = new InspectorSession({
    scenario: opts.scenario,
    models: opts.models,
    ...(opts.policies === undefined ? {} : { policies: opts.policies }),
    speed: opts.speed,
    paused: opts.paused,
    inspectFor,
    afterWarmup: opts.afterWarmup,
  });
  session.externalViewer = opts.stately === true;

  let hostOk: (header: string) => boolean = () => false;
  const pageWss = new WebSocketServer({ noServer: true, maxPayload: MAX_COMMAND_BYTES * 4 });
  const relayWss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const clients = new Set<WebSocket>();
  const flow = new Map<WebSocket, { unacked: number; stale: boolean }>();
  let statelyUrl: string | null = null;

  const securityHeaders = (res: ServerResponse, csp: string) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!hostOk(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const nonce = randomBytes(16).toString('base64');
    if (path === '/') {
      securityHeaders(
        res,
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src data:; ` +
          `connect-src ws://${req.headers.host}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      );
      res.setHeader('X-Frame-Options', 'DENY');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : PAGE_TEMPLATE.replaceAll('__NONCE__', nonce));
      return;
    }
    if (path === '/stately' && opts.stately) {
      securityHeaders(
        res,
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; ` +
          `frame-src https://stately.ai; connect-src ws://${req.headers.host}; base-uri 'none'`,
      );
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : statelyBridge(nonce));
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });

  const refuse = (socket: Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const hostHeader = req.headers.host ?? '';
    const path = (req.url ?? '/').split('?')[0];
    if (!hostOk(hostHeader)) return refuse(socket, '421 Misdirected Request');
    // Same origin only: the page this server served, reached under the same host name.
    if (req.headers.origin !== `http://${hostHeader}`) return refuse(socket, '403 Forbidden');
    if (path === '/ws') {
      pageWss.handleUpgrade(req, socket, head, (ws) => pageWss.emit('connection', ws, req));
    } else if (path === '/stately-ws' && opts.stately) {
      relayWss.handleUpgrade(req, socket, head, (ws) => {
        relay.push(ws);
        for (const text of relayBuffer) ws.send(text);
        ws.on('close', () => relay.splice(relay.indexOf(ws), 1));
      });
    } else refuse(socket, '404 Not Found');
  });

  const send = (ws: WebSocket, msg: unknown) => {
    if (ws.readyState !== ws.OPEN || ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
    ws.send(JSON.stringify(msg));
  };
  // Flow control: a page says `drawn` for each state it received; one with MAX_UNACKED states unread
  // (a slow page, a busy machine) is skipped, and sent the newest state as soon as it reads one: the
  // network never holds a backlog of stale states (after a pause the page would show the past for
  // seconds), and a skipped page is never left without the last state.
  const sendState = (ws: WebSocket, text: string) => {
    const f = flow.get(ws);
    if (f === undefined || ws.readyState !== ws.OPEN) return;
    if (f.unacked >= MAX_UNACKED || ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      f.stale = true;
      return;
    }
    f.unacked++;
    f.stale = false;
    ws.send(text);
  };
  const broadcast = () => {
    if (clients.size === 0) return;
    const text = JSON.stringify(session.state());
    for (const ws of clients) sendState(ws, text);
  };
  session.onChange = broadcast;
  session.onError = (error) => {
    for (const ws of clients) send(ws, { type: 'error', error });
  };
  const hello = () => session.hello(statelyUrl);
  session.onModels = () => {
    for (const ws of clients) send(ws, hello());
  };

  pageWss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    flow.set(ws, { unacked: 0, stale: false });
    session.setViewers(clients.size);
    send(ws, hello());
    sendState(ws, JSON.stringify(session.state()));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send(ws, { type: 'error', error: 'binary messages are not accepted' });
      const result = parseCommand(data.toString(), session.models, session.allModels);
      if (!result.ok) return send(ws, { type: 'error', error: result.error });
      if (result.command.type === 'drawn') {
        const f = flow.get(ws);
        if (f === undefined) return;
        f.unacked = Math.max(0, f.unacked - 1);
        if (f.stale) sendState(ws, JSON.stringify(session.state()));
        return;
      }
      session.apply(result.command);
    });
    ws.on('close', () => {
      clients.delete(ws);
      flow.delete(ws);
      session.setViewers(clients.size);
    });
    ws.on('error', () => ws.terminate());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hostOk = hostChecker(host, port);
  const shown = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${port}/`;
  if (opts.stately) statelyUrl = `${url}stately`;
  session.start();

  return {
    url,
    port,
    host,
    session,
    statelyUrl,
    close: async () => {
      session.stop();
      for (const ws of [...clients, ...relay]) ws.terminate();
      pageWss.close();
      relayWss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
