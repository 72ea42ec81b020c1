/**
 * A message made safe for a terminal: control characters (C0, DEL, C1 — among them ESC, which starts
 * terminal escape sequences) that a scenario file or a flag could carry into an error line are shown as
 * `\u001b`-style escapes instead of being written raw. Newlines become spaces: an error is one line.
 */
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

export function printable(message: string): string {
  let out = '';
  for (const c of message.replace(/\r?\n+/g, ' ')) {
    const code = c.charCodeAt(0);
    out += isControl(code) ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}
