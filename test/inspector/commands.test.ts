import { describe, expect, it } from 'vitest';
import {
  BACK_MAX,
  MAX_COMMAND_BYTES,
  parseCommand,
  SPEED_MAX,
  SPEED_MIN,
  STEP_US_MAX,
} from '../../src/inspector/commands.ts';

const MODELS = ['per-device', 'per-cpu'];
const parse = (msg: unknown) => parseCommand(typeof msg === 'string' ? msg : JSON.stringify(msg), MODELS);

describe('parseCommand', () => {
  it('accepts the whitelisted commands', () => {
    for (const type of ['pause', 'resume', 'step', 'cancel', 'deselect']) {
      expect(parse({ type })).toEqual({ ok: true, command: { type } });
    }
    expect(parse({ type: 'stepUs', us: 250 })).toEqual({ ok: true, command: { type: 'stepUs', us: 250 } });
    expect(parse({ type: 'speed', factor: 0.002 })).toEqual({
      ok: true,
      command: { type: 'speed', factor: 0.002 },
    });
    expect(parse({ type: 'select', model: 'per-cpu', actor: 'vm3.dev0.tx' })).toEqual({
      ok: true,
      command: { type: 'select', model: 'per-cpu', actor: 'vm3.dev0.tx' },
    });
  });

  it('step back: a whole number of events within bounds', () => {
    expect(parse({ type: 'back', events: 3 })).toEqual({ ok: true, command: { type: 'back', events: 3 } });
    for (const events of [0, -2, 1.5, BACK_MAX + 1, '3', null])
      expect(parse({ type: 'back', events }).ok).toBe(false);
    expect(parse({ type: 'back', events: 1, extra: 1 }).ok).toBe(false);
  });

  it('follow: a VM index; unfollow: nothing else', () => {
    expect(parse({ type: 'follow', vm: 2 })).toEqual({ ok: true, command: { type: 'follow', vm: 2 } });
    for (const vm of [-1, 1.5, '2', null, 5000]) expect(parse({ type: 'follow', vm }).ok).toBe(false);
    expect(parse({ type: 'unfollow' })).toEqual({ ok: true, command: { type: 'unfollow' } });
    expect(parse({ type: 'unfollow', vm: 1 }).ok).toBe(false);
  });

  it('enforces numeric bounds', () => {
    for (const us of [0, -1, 1.5, STEP_US_MAX + 1, '10', null, Number.NaN]) {
      expect(parse({ type: 'stepUs', us }).ok).toBe(false);
    }
    expect(parse({ type: 'stepUs', us: 1 }).ok).toBe(true);
    expect(parse({ type: 'stepUs', us: STEP_US_MAX }).ok).toBe(true);
    for (const factor of [0, SPEED_MIN / 2, SPEED_MAX * 2, '0.1', null]) {
      expect(parse({ type: 'speed', factor }).ok).toBe(false);
    }
    // JSON has no Infinity: 1e999 parses to it and must be refused.
    expect(parseCommand('{"type":"speed","factor":1e999}', MODELS).ok).toBe(false);
    expect(parse({ type: 'speed', factor: SPEED_MIN }).ok).toBe(true);
    expect(parse({ type: 'speed', factor: SPEED_MAX }).ok).toBe(true);
  });

  it('refuses unknown types, unknown fields, bad keys and models', () => {
    expect(parse({ type: 'eval', code: 'process.exit()' })).toEqual({
      ok: false,
      error: 'unknown command type',
    });
    expect(parse({ type: 'pause', extra: 1 }).ok).toBe(false);
    expect(parse({ type: 'stepUs', us: 5, after: 'x' }).ok).toBe(false);
    expect(parse({ type: 'select', model: 'per-vm', actor: 'cpu0' }).ok).toBe(false);
    expect(parse({ type: 'select', model: 'per-cpu', actor: '<img src=x>' }).ok).toBe(false);
    expect(parse({ type: 'select', model: 'per-cpu', actor: 'a'.repeat(65) }).ok).toBe(false);
    expect(parse({ type: '__proto__' }).ok).toBe(false);
    expect(parse('{"__proto__":{"type":"pause"}}').ok).toBe(false);
  });

  it('refuses what is not a small JSON object', () => {
    for (const raw of [
      '',
      'pause',
      '[]',
      'null',
      '42',
      '"pause"',
      '{"type":"pause"',
      `{"type":"pause","p":"${'x'.repeat(MAX_COMMAND_BYTES)}"}`,
    ]) {
      expect(parseCommand(raw, MODELS).ok).toBe(false);
    }
  });
});

describe('parseCommand: models', () => {
  it('accepts one or two distinct known models, nothing else', () => {
    expect(parse({ type: 'models', models: ['pmd'] })).toEqual({
      ok: true,
      command: { type: 'models', models: ['pmd'] },
    });
    expect(parse({ type: 'models', models: ['sidecore', 'per-cpu'] }).ok).toBe(true);
    for (const models of [[], ['pmd', 'pmd'], ['a'], ['pmd', 'per-cpu', 'per-device'], 'pmd', [1]]) {
      expect(parse({ type: 'models', models }).ok).toBe(false);
    }
    expect(parse({ type: 'skipWarmup' })).toEqual({ ok: true, command: { type: 'skipWarmup' } });
    expect(parse({ type: 'timeline', us: 1000 }).ok).toBe(true);
    for (const us of [0, 300, '200', 1e9]) expect(parse({ type: 'timeline', us }).ok).toBe(false);
  });
});
