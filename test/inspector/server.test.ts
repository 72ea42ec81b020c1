import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hostChecker, type InspectorHandle, startInspector } from '../../src/inspector/server.ts';
import { resolveScenario } from '../../src/scenario/resolve.ts';

let inspector: InspectorHandle;

beforeAll(async () => {
  inspector = await startInspector({
    scenario: resolveScenario({ vms: 2 }),
    models: ['per-device', 'per-cpu'],
    port: 0,
    paused: true,
  });
});
afterAll(async () => {
  await inspector?.close();
});

function get(
  path: string,
  host: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: inspector.port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Open a socket and collect messages; resolves with the socket once `hello` and the first state arrived. */
function connect(
  origin: string,
  ack = true,
): Promise<{ ws: WebSocket; messages: { type: string; [k: string]: unknown }[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${inspector.port}/ws`, { origin });
    const messages: { type: string }[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      messages.push(m);
      // As the page does: each state is acknowledged (the server's flow control).
      if (m.type === 'state' && ack) ws.send('{"type":"drawn"}');
      if (messages.length === 2) resolve({ ws, messages });
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

const next = (messages: unknown[], count: number) =>
  new Promise<void>((resolve) => {
    const poll = () => (messages.length >= count ? resolve() : setTimeout(poll, 10));
    poll();
  });

/** The first message from index `from` on that satisfies `ok` (waits for it). */
function until<T>(
  messages: unknown[],
  from: number,
  ok: (m: T) => boolean,
): Promise<{ msg: T; index: number }> {
  return new Promise((resolve) => {
    const poll = () => {
      for (let i = from; i < messages.length; i++) {
        if (ok(messages[i] as T)) return resolve({ msg: messages[i] as T, index: i });
      }
      setTimeout(poll, 10);
    };
    poll();
  });
}

describe('inspector server', () => {
  it('listens on 127.0.0.1 and serves one self-contained page with a strict CSP', async () => {
    expect(inspector.host).toBe('127.0.0.1');
    expect(inspector.url).toBe(`http://127.0.0.1:${inspector.port}/`);
    const page = await get('/', `127.0.0.1:${inspector.port}`);
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(page.body).not.toMatch(/(src|href)=["']https?:/);
    expect(page.body).not.toContain('__NONCE__');
    expect((await get('/nope', `127.0.0.1:${inspector.port}`)).status).toBe(404);
  });

  it('refuses requests naming another host (DNS rebinding)', async () => {
    expect((await get('/', `evil.example:${inspector.port}`)).status).toBe(421);
    expect((await get('/', `localhost:${inspector.port}`)).status).toBe(200);
  });

  it('refuses WebSocket upgrades from a foreign or missing Origin', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow('refused: 403');
    await expect(connect(`http://localhost:${inspector.port + 1}`)).rejects.toThrow('refused: 403');
    await expect(connect('null')).rejects.toThrow('refused: 403');
  });

  it('streams hello and state, validates commands, and steps the next event across both systems', async () => {
    const { ws, messages } = await connect(`http://127.0.0.1:${inspector.port}`);
    const [hello, state] = messages as [
      { type: string; models: string[]; machines: Record<string, unknown> },
      {
        type: string;
        paused: boolean;
        systems: { model: string; events: number; nowNs: number; log: { atNs: number }[] }[];
      },
    ];
    expect(hello.type).toBe('hello');
    expect(hello.models).toEqual(['per-device', 'per-cpu']);
    expect(Object.keys(hello.machines)).toEqual(['pcpu', 'vcpu', 'virtqueue', 'vhostWorker', 'nic']);
    expect(state.paused).toBe(true);

    ws.send('{"type":"eval","code":"1"}');
    await next(messages, 3);
    expect(messages[2]).toEqual({ type: 'error', error: 'unknown command type' });

    type State = typeof state & { step: unknown };
    ws.send(JSON.stringify({ type: 'stepUs', us: 200 }));
    const { msg: after, index } = await until<State>(
      messages,
      3,
      (m) => m.type === 'state' && m.step === null,
    );
    for (const s of after.systems) expect(s.nowNs).toBe(200_000);

    // One event, the next across both systems: exactly one of them fires it.
    ws.send(JSON.stringify({ type: 'step' }));
    await next(messages, index + 2);
    const stepped = messages[index + 1] as unknown as State;
    const moved = stepped.systems.filter((s, i) => s.events !== after.systems[i].events);
    expect(moved).toHaveLength(1);
    expect(moved[0].events).toBe(after.systems[stepped.systems.indexOf(moved[0])].events + 1);
    expect(moved[0].log.at(-1)?.atNs).toBe(moved[0].nowNs);
    const at = messages.length;

    ws.send(JSON.stringify({ type: 'select', model: 'per-cpu', actor: 'cpu0' }));
    await next(messages, at + 1);
    const sel = (
      messages[at] as unknown as { selected: { machine: string; state: string; context: { cpu: number } } }
    ).selected;
    expect(sel.machine).toBe('pcpu');
    expect(sel.context.cpu).toBe(0);
    ws.close();
  });

  it('keeps serving while a long stepUs runs in slices, shows its progress and cancels it', async () => {
    const big = await startInspector({
      scenario: resolveScenario({ vms: 16 }),
      models: ['per-device', 'per-cpu'],
      port: 0,
      paused: true,
    });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${big.port}/ws`, { origin: big.url.slice(0, -1) });
      const messages: { type: string; step?: { atNs: number; targetNs: number } | null }[] = [];
      ws.on('message', (d) => {
        messages.push(JSON.parse(d.toString()));
        if (messages.at(-1)?.type === 'state') ws.send('{"type":"drawn"}');
      });
      await new Promise((resolve) => ws.once('open', resolve));
      await next(messages, 2);
      // 1 s of virtual time for 16 VMs in both models: tens of seconds of work, in one command.
      ws.send(JSON.stringify({ type: 'stepUs', us: 1_000_000 }));
      const inFlight = (m: (typeof messages)[number]) =>
        m.type === 'state' && m.step != null && m.step.atNs > 0 && m.step.atNs < m.step.targetNs;
      await until(messages, 2, inFlight);
      // The server still answers HTTP while the step goes on.
      const res = await new Promise<number>((resolve, reject) => {
        request(
          { host: '127.0.0.1', port: big.port, path: '/', headers: { Host: `127.0.0.1:${big.port}` } },
          (r) => {
            r.resume();
            resolve(r.statusCode ?? 0);
          },
        )
          .on('error', reject)
          .end();
      });
      expect(res).toBe(200);
      expect(big.session.stepProgress).not.toBeNull();
      ws.send(JSON.stringify({ type: 'cancel' }));
      const from = messages.length;
      const { msg } = await until<{ type: string; step: unknown; systems: { nowNs: number }[] }>(
        messages,
        from,
        (m) => m.type === 'state' && m.step === null,
      );
      for (const s of msg.systems) expect(s.nowNs).toBeLessThan(1_000_000_000);
      ws.close();
    } finally {
      await big.close();
    }
  }, 60_000);

  it('flow control: a page that does not acknowledge gets two states at most, then the newest on its receipt', async () => {
    const { ws, messages } = await connect(`http://127.0.0.1:${inspector.port}`, false);
    const states = () =>
      messages.filter((m) => m.type === 'state') as unknown as { systems: { events: number }[] }[];
    expect(states()).toHaveLength(1);
    for (let i = 0; i < 6; i++) ws.send(JSON.stringify({ type: 'step' }));
    await next(messages, 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(states()).toHaveLength(2);
    // Its receipt of one brings the state after all six steps, not the ones in between.
    const total = (m: { systems: { events: number }[] }) => m.systems.reduce((a, x) => a + x.events, 0);
    const first = total(states()[0]);
    ws.send('{"type":"drawn"}');
    await next(messages, 4);
    expect(total(states()[2])).toBe(first + 6);
    ws.close();
  });

  it('accepts only its own host names, and IP literals on a wildcard bind', () => {
    const local = hostChecker('127.0.0.1', 8000);
    expect(local('127.0.0.1:8000')).toBe(true);
    expect(local('localhost:8000')).toBe(true);
    expect(local('127.0.0.1:8001')).toBe(false);
    expect(local('10.0.0.5:8000')).toBe(false);
    const any = hostChecker('0.0.0.0', 8000);
    expect(any('10.0.0.5:8000')).toBe(true);
    expect(any('rebind.example:8000')).toBe(false);
  });
});

describe('--inspect stately', () => {
  it('lazily loads @statelyai/inspect and relays the actors to the local /stately page', async () => {
    const handle = await startInspector({
      scenario: resolveScenario({ vms: 1 }),
      models: ['per-cpu'],
      port: 0,
      paused: true,
      stately: true,
    });
    try {
      expect(handle.statelyUrl).toBe(`${handle.url}stately`);
      const page = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port: handle.port, path: '/stately' }, (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve(body));
        })
          .on('error', reject)
          .end();
      });
      expect(page).toContain('https://stately.ai/inspect');
      const first = await new Promise<{ type: string; name: string; definition: string }>(
        (resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${handle.port}/stately-ws`, {
            origin: handle.url.slice(0, -1),
          });
          ws.on('message', (d) => {
            resolve(JSON.parse(d.toString()));
            ws.close();
          });
          ws.on('error', reject);
        },
      );
      expect(first.type).toBe('@xstate.actor');
      expect(first.name).toMatch(/^per-cpu:(cpu\d+|nic|vhost-cpu\d+|vm0\..+)$/);
      expect(JSON.parse(first.definition).states).toBeDefined();
    } finally {
      await handle.close();
    }
  });
});
