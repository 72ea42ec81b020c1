/**
 * Commands the page may send, and their validation. Anything not on this whitelist, with a field out of
 * bounds, an unknown field or more than `MAX_COMMAND_BYTES`, is refused. Nothing is evaluated: a message
 * is parsed as JSON and checked field by field.
 */
import { modelNames } from '../model/scenario.ts';

export const MAX_COMMAND_BYTES = 512;
/** Virtual-time speed: virtual seconds per wall-clock second. */
export const SPEED_MIN = 1e-6;
export const SPEED_MAX = 0.1;
/** Largest `stepUs` jump (1 s of virtual time: about 1.2 M events per system for 4 VMs). */
export const STEP_US_MAX = 1_000_000;
/** The windows the per-core timeline can show, in µs of virtual time. */
export const TIMELINE_US: readonly number[] = [50, 200, 1000];
/** Most events one `back` undoes (it replays from the seed: the cost is the events kept, not undone). */
export const BACK_MAX = 1_000_000;
const ACTOR_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
/** A message type (`vq.kick`), and an actor-key prefix that may be empty. */
const EVENT_TYPE = /^[a-z][A-Za-z.]{0,31}$/;
const ACTOR_PREFIX = /^[A-Za-z0-9_.-]{0,64}$/;
/** `until` gives up after this much virtual time without the message. */
export const UNTIL_US_MAX = 10_000;

export type Command =
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step' }
  | { type: 'cancel' }
  | { type: 'skipWarmup' }
  | { type: 'timeline'; us: number }
  | { type: 'models'; models: string[] }
  | { type: 'stepUs'; us: number }
  | { type: 'back'; events: number }
  | { type: 'follow'; vm: number }
  | { type: 'until'; event: string; actor: string }
  | { type: 'unfollow' }
  | { type: 'drawn' }
  | { type: 'speed'; factor: number }
  | { type: 'select'; model: string; actor: string }
  | { type: 'deselect' };

export type CommandResult = { ok: true; command: Command } | { ok: false; error: string };

const fail = (error: string): CommandResult => ({ ok: false, error });

function onlyKeys(obj: Record<string, unknown>, keys: string[]): string | null {
  for (const k of Object.keys(obj)) if (!keys.includes(k)) return `unexpected field '${k.slice(0, 32)}'`;
  return null;
}

/**
 * Validate one message from the page. `models` lists the models the session runs (for `select`),
 * `allModels` those it can show (for `models`: the built-in ones and any `--policy` module's).
 * @example
 * parseCommand('{"type":"stepUs","us":50}', ['per-cpu']); // { ok: true, command: { type: 'stepUs', us: 50 } }
 * parseCommand('{"type":"eval","code":"1"}', ['per-cpu']).ok; // false
 */
export function parseCommand(
  raw: string,
  models: readonly string[],
  allModels: readonly string[] = modelNames,
): CommandResult {
  if (typeof raw !== 'string') return fail('not text');
  if (raw.length > MAX_COMMAND_BYTES) return fail(`message longer than ${MAX_COMMAND_BYTES} bytes`);
  let msg: unknown;
  try {
    msg = JSON.parse(raw);
  } catch {
    return fail('not JSON');
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return fail('not an object');
  const m = msg as Record<string, unknown>;
  switch (m.type) {
    case 'pause':
    case 'resume':
    case 'step':
    case 'cancel':
    case 'skipWarmup':
    case 'unfollow':
    case 'drawn':
    case 'deselect': {
      const extra = onlyKeys(m, ['type']);
      return extra ? fail(extra) : { ok: true, command: { type: m.type } };
    }
    case 'stepUs': {
      const extra = onlyKeys(m, ['type', 'us']);
      if (extra) return fail(extra);
      const us = m.us;
      if (typeof us !== 'number' || !Number.isInteger(us) || us < 1 || us > STEP_US_MAX) {
        return fail(`us must be an integer from 1 to ${STEP_US_MAX}`);
      }
      return { ok: true, command: { type: 'stepUs', us } };
    }
    case 'back': {
      const extra = onlyKeys(m, ['type', 'events']);
      if (extra) return fail(extra);
      const n = m.events;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > BACK_MAX) {
        return fail(`events must be an integer from 1 to ${BACK_MAX}`);
      }
      return { ok: true, command: { type: 'back', events: n } };
    }
    case 'until': {
      const extra = onlyKeys(m, ['type', 'event', 'actor']);
      if (extra) return fail(extra);
      if (typeof m.event !== 'string' || !EVENT_TYPE.test(m.event))
        return fail('event must be a message type');
      const actor = m.actor ?? '';
      if (typeof actor !== 'string' || !ACTOR_PREFIX.test(actor))
        return fail('actor must be an actor key prefix');
      return { ok: true, command: { type: 'until', event: m.event, actor } };
    }
    case 'follow': {
      const extra = onlyKeys(m, ['type', 'vm']);
      if (extra) return fail(extra);
      // The session checks the VM exists in its scenario.
      if (typeof m.vm !== 'number' || !Number.isInteger(m.vm) || m.vm < 0 || m.vm > 4095) {
        return fail('vm must be a VM index');
      }
      return { ok: true, command: { type: 'follow', vm: m.vm } };
    }
    case 'speed': {
      const extra = onlyKeys(m, ['type', 'factor']);
      if (extra) return fail(extra);
      const f = m.factor;
      if (typeof f !== 'number' || !Number.isFinite(f) || f < SPEED_MIN || f > SPEED_MAX) {
        return fail(`factor must be a number from ${SPEED_MIN} to ${SPEED_MAX}`);
      }
      return { ok: true, command: { type: 'speed', factor: f } };
    }
    case 'select': {
      const extra = onlyKeys(m, ['type', 'model', 'actor']);
      if (extra) return fail(extra);
      if (typeof m.model !== 'string' || !models.includes(m.model)) return fail('unknown model');
      if (typeof m.actor !== 'string' || !ACTOR_KEY.test(m.actor)) return fail('bad actor key');
      return { ok: true, command: { type: 'select', model: m.model, actor: m.actor } };
    }
    case 'timeline': {
      const extra = onlyKeys(m, ['type', 'us']);
      if (extra) return fail(extra);
      if (typeof m.us !== 'number' || !TIMELINE_US.includes(m.us)) {
        return fail(`us must be one of ${TIMELINE_US.join(', ')}`);
      }
      return { ok: true, command: { type: 'timeline', us: m.us } };
    }
    case 'models': {
      const extra = onlyKeys(m, ['type', 'models']);
      if (extra) return fail(extra);
      const list = m.models;
      if (!Array.isArray(list) || list.length < 1 || list.length > 2)
        return fail('models must list 1 or 2 models');
      for (const x of list) {
        if (typeof x !== 'string' || !allModels.includes(x)) return fail('unknown model');
      }
      if (list[0] === list[1]) return fail('models must differ');
      return { ok: true, command: { type: 'models', models: list as string[] } };
    }
    default:
      return fail('unknown command type');
  }
}
