import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';

/** One unit of a delivery: a parsed row with its original bytes, or a row that could not be parsed. */
export type SourceRow =
  | { rowNumber: number; row: Record<string, unknown>; raw: Buffer }
  | { rowNumber: number; error: { code: string; message: string }; raw: Buffer };

export interface ReadOptions {
  format: 'csv' | 'jsonl';
  encoding: 'utf-8' | 'windows-1252';
  csv?: { delimiter?: string; quote?: string; skipInitialSpace?: boolean };
  maxRecordBytes?: number;
  onBytes?: (bytesRead: number) => void;
  /**
   * Only the bytes from `start` up to (not including) `end`, which must begin a line; `columns`
   * is the CSV header for a part that does not begin the file, `recordDelimiter` the line end
   * the whole file's parser found on its first line (see lineAlignedParts).
   */
  range?: FileRange & { columns?: string[]; recordDelimiter?: string };
  /**
   * CSV rows without their line numbers and original bytes (0 and empty): the pre-check only
   * counts outcomes, and csv-parse's per-record info and raw text were a tenth of its time.
   * What is parsed, skipped and rejected is the same.
   */
  countOnly?: boolean;
}

/** Bytes `start` up to, not including, `end`. */
export interface FileRange {
  start: number;
  end: number;
}

/** A whole-delivery failure: the file cannot be read as declared. Nothing of it is applied. */
export class DeliveryError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * UTF-8 checked as it streams: a file declared UTF-8 that is not (a Windows-1252 export,
 * say) stops with INGEST.ENCODING_MISMATCH instead of turning names into replacement
 * characters.
 */
function strictUtf8(keepLeadingBom = false): Transform {
  // ignoreBOM: false drops a leading byte-order mark; a part that starts mid-file keeps one
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: keepLeadingBom });
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(new DeliveryError('INGEST.ENCODING_MISMATCH', 'the file is not valid UTF-8, which its feed declares'));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new DeliveryError('INGEST.ENCODING_MISMATCH', 'the file ends inside a UTF-8 character'));
      }
    },
  });
}

function decoded(path: string, options: ReadOptions): Readable {
  const size = statSync(path).size;
  if (size === 0) throw new DeliveryError('INGEST.EMPTY_FILE', 'the file is empty');
  let bytes = 0;
  const range = options.range;
  if (range && (range.start < 0 || range.end > size || range.start >= range.end)) throw new Error(`bytes ${range.start}-${range.end} are not a part of a ${size}-byte file`);
  const file = createReadStream(path, { highWaterMark: 256 * 1024, ...(range ? { start: range.start, end: range.end - 1 } : {}) });
  if (options.onBytes) {
    file.on('data', (chunk) => {
      bytes += chunk.length;
      options.onBytes!(bytes);
    });
  }
  const text = (options.encoding === 'windows-1252' ? file.pipe(iconv.decodeStream('win1252', { stripBOM: true })) : file.pipe(strictUtf8((range?.start ?? 0) > 0))) as Readable;
  file.on('error', (error) => text.destroy(error));
  return text;
}

const NO_BYTES = Buffer.alloc(0);

/** Streams a delivery row by row; memory stays flat whatever the file's size. */
export async function* readRows(path: string, options: ReadOptions): AsyncGenerator<SourceRow> {
  const text = decoded(path, options);
  if (options.format === 'jsonl') {
    yield* readJsonLines(text, options.maxRecordBytes ?? 1_048_576);
    return;
  }
  const skipped: SourceRow[] = [];
  const withSource = !options.countOnly;
  const parser = text.pipe(
    parse({
      columns: options.range?.columns ?? ((header: string[]) => header.map((column) => column.trim())),
      bom: (options.range?.start ?? 0) === 0,
      ...(options.range?.recordDelimiter ? { record_delimiter: options.range.recordDelimiter } : {}),
      raw: withSource,
      info: withSource,
      delimiter: options.csv?.delimiter ?? ',',
      quote: options.csv?.quote ?? '"',
      ltrim: options.csv?.skipInitialSpace ?? false,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: options.maxRecordBytes ?? 1_048_576,
    }),
  );
  text.on('error', (error) => parser.destroy(error));
  parser.on('skip', (error: Error & { code?: string; raw?: string; lines?: number }) => {
    skipped.push({
      rowNumber: error.lines ?? 0,
      error: { code: `INGEST.${error.code ?? 'CSV_INVALID'}`, message: error.message.replace(/ at line \d+.*$/s, '').split(':')[0]!.slice(0, 200) },
      raw: withSource ? Buffer.from(error.raw ?? '', 'utf8') : NO_BYTES,
    });
  });
  if (!withSource) {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      while (skipped.length) yield skipped.shift()!;
      yield { rowNumber: 0, row: record, raw: NO_BYTES };
    }
    while (skipped.length) yield skipped.shift()!;
    return;
  }
  for await (const parsed of parser as AsyncIterable<{ record: Record<string, string>; raw: string; info: { lines: number } }>) {
    while (skipped.length) yield skipped.shift()!;
    yield { rowNumber: parsed.info.lines, row: parsed.record, raw: Buffer.from(parsed.raw.replace(/\r?\n$/, ''), 'utf8') };
  }
  while (skipped.length) yield skipped.shift()!;
}

async function* readJsonLines(text: Readable, maxRecordBytes: number): AsyncGenerator<SourceRow> {
  let buffered = '';
  let line = 0;
  const emit = (content: string): SourceRow | undefined => {
    line++;
    const trimmed = content.replace(/\r$/, '');
    if (trimmed.trim() === '') return undefined;
    const raw = Buffer.from(trimmed, 'utf8');
    if (raw.length > maxRecordBytes) return { rowNumber: line, error: { code: 'INGEST.RECORD_TOO_LARGE', message: `line longer than ${maxRecordBytes} bytes` }, raw };
    try {
      const parsed: unknown = JSON.parse(trimmed.charCodeAt(0) === 0xfeff ? trimmed.slice(1) : trimmed);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { rowNumber: line, error: { code: 'INGEST.JSON_NOT_OBJECT', message: 'each line must be one JSON object' }, raw };
      }
      return { rowNumber: line, row: parsed as Record<string, unknown>, raw };
    } catch {
      return { rowNumber: line, error: { code: 'INGEST.JSON_INVALID', message: 'the line is not valid JSON' }, raw };
    }
  };
  for await (const chunk of text as AsyncIterable<string>) {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const row = emit(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      if (row) yield row;
      newline = buffered.indexOf('\n');
    }
    if (buffered.length > maxRecordBytes * 2) {
      const row = emit(buffered);
      buffered = '';
      if (row) yield row;
    }
  }
  if (buffered) {
    const row = emit(buffered);
    if (row) yield row;
  }
}

/** The header line of a CSV delivery, decoded, for the check against the feed's mapping. */
export async function readCsvHeader(path: string, options: ReadOptions): Promise<string[]> {
  const text = decoded(path, { ...options, onBytes: undefined });
  const parser = text.pipe(parse({ bom: true, to_line: 1, delimiter: options.csv?.delimiter ?? ',', quote: options.csv?.quote ?? '"', ltrim: options.csv?.skipInitialSpace ?? false, relax_column_count: true }));
  text.on('error', (error) => parser.destroy(error));
  for await (const header of parser as AsyncIterable<string[]>) {
    text.destroy();
    return header.map((column) => column.trim());
  }
  return [];
}

/**
 * Splits a file into at most `parts` ranges of about equal size, each starting right after a
 * line end (`lineEnd`: a CSV file's parser ends records only where it found them end on the
 * first line), for counting the parts side by side. A line feed need not end a CSV record (a
 * quoted field may span lines): whoever reads the parts must check that each part but the last
 * ended outside quotes, and otherwise read the file whole. Fewer parts when lines are long.
 */
export async function lineAlignedParts(path: string, parts: number, lineEnd: '\n' | '\r\n' = '\n'): Promise<FileRange[]> {
  const size = statSync(path).size;
  const starts = [0];
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let part = 1; part < parts; part++) {
      let at = Math.max(Math.floor((size * part) / parts), starts[starts.length - 1]! + 1);
      let lineStart: number | undefined;
      while (lineStart === undefined && at < size) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
        if (bytesRead === 0) break;
        const found = chunk.subarray(0, bytesRead).indexOf(lineEnd);
        if (found >= 0) lineStart = at + found + lineEnd.length;
        // a CR at the end of the chunk may begin the CRLF looked for
        else at += bytesRead < chunk.length ? bytesRead : bytesRead - (lineEnd.length - 1);
      }
      if (lineStart === undefined || lineStart >= size) break;
      if (lineStart > starts[starts.length - 1]!) starts.push(lineStart);
    }
  } finally {
    await handle.close();
  }
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? size }));
}

/**
 * The line end a CSV parser finds first in the file, outside quotes (its own choice for the whole
 * file, made on the first record): CRLF or LF; undefined when it is neither or there is none. A
 * doubled quote inside a quoted field leaves and enters the quotes again, so counting quotes is
 * enough to know whether a line end is inside them.
 */
export async function firstLineEnd(path: string, quote = '"'): Promise<'\r\n' | '\n' | undefined> {
  const quoteByte = Buffer.from(quote, 'utf8')[0];
  const handle = await open(path, 'r');
  let quoted = false;
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let at = 0; ; ) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
      if (bytesRead === 0) return undefined;
      for (let i = 0; i < bytesRead; i++) {
        if (chunk[i] === quoteByte) quoted = !quoted;
        if (quoted) continue;
        if (chunk[i] === 0x0a) return '\n';
        if (chunk[i] === 0x0d) {
          if (i + 1 < bytesRead) return chunk[i + 1] === 0x0a ? '\r\n' : undefined;
          const next = Buffer.alloc(1);
          const { bytesRead: more } = await handle.read(next, 0, 1, at + i + 1);
          return more === 1 && next[0] === 0x0a ? '\r\n' : undefined;
        }
      }
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
