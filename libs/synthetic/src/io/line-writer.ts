import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeWindows1252 } from './encoding';

/** Buffered line writer: feeds are streamed to disk in ~1 MB chunks, never held whole in memory. */
export class LineWriter {
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(path: string, private readonly encoding: 'utf-8' | 'windows-1252' = 'utf-8', private readonly eol = '\n') {
    this.fd = openSync(path, 'w');
  }

  line(s: string): void {
    this.buf.push(s);
    this.size += s.length + 1;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    const text = this.buf.join(this.eol) + this.eol;
    const data = this.encoding === 'windows-1252' ? encodeWindows1252(text) : Buffer.from(text, 'utf8');
    writeSync(this.fd, data);
    this.bytes += data.length;
    this.buf = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(values: readonly string[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) s += ',';
    s += csvField(values[i]);
  }
  return s;
}
