import { createReadStream, statSync } from 'node:fs';
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
function strictUtf8(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
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
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  if (options.onBytes) {
    file.on('data', (chunk) => {
      bytes += chunk.length;
      options.onBytes!(bytes);
    });
  }
  const text = (options.encoding === 'windows-1252' ? file.pipe(iconv.decodeStream('win1252', { stripBOM: true })) : file.pipe(strictUtf8())) as Readable;
  file.on('error', (error) => text.destroy(error));
  return text;
}

/** Streams a delivery row by row; memory stays flat whatever the file's size. */
export async function* readRows(path: string, options: ReadOptions): AsyncGenerator<SourceRow> {
  const text = decoded(path, options);
  if (options.format === 'jsonl') {
    yield* readJsonLines(text, options.maxRecordBytes ?? 1_048_576);
    return;
  }
  const skipped: SourceRow[] = [];
  const parser = text.pipe(
    parse({
      columns: (header: string[]) => header.map((column) => column.trim()),
      bom: true,
      raw: true,
      info: true,
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
      raw: Buffer.from(error.raw ?? '', 'utf8'),
    });
  });
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
