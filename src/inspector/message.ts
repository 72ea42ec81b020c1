/**
 * A message's payload in a few words for the inspector's log: its fields besides `type`, a packet as
 * `pkt#id src→dst kind bytes flow`. Plain reads of the message; nothing is evaluated.
 */
import type { SimMsg } from '../model/actor.ts';
import type { Packet } from '../model/packet.ts';

/** Longest payload text sent to the page. */
const MAX_CHARS = 120;

const end = (vm: number) => (vm < 0 ? 'peer' : `vm${vm}`);

function isPacket(v: unknown): v is Packet {
  return v !== null && typeof v === 'object' && 'id' in v && 'flow' in v && 'bornNs' in v;
}

function field(v: unknown): string {
  if (isPacket(v)) return `pkt#${v.id} ${end(v.src)}→${end(v.dst)} ${v.kind} ${v.bytes}B flow${v.flow}`;
  if (Array.isArray(v)) return `[${v.slice(0, 8).map(field).join(',')}${v.length > 8 ? ',…' : ''}]`;
  if (v !== null && typeof v === 'object') return '{…}';
  return String(v);
}

/**
 * @example
 * describePayload({ type: 'work.queued', wid: 3, cpu: 1 }); // 'wid=3 cpu=1'
 */
export function describePayload(msg: SimMsg): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(msg)) {
    if (k === 'type') continue;
    parts.push(isPacket(v) ? field(v) : `${k}=${field(v)}`);
  }
  const text = parts.join(' ');
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}
