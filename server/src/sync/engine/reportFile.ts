/**
 * Reports written as JSON without holding them: the saved report (one item a line, the items of a
 * dry run copied from its spool as bytes), the saved plan (`dirsync plan -o`: the same with its
 * operations), and the report printed as indented JSON (`dirsync plan --json`), one item at a time.
 */
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import type { ReportItem, SyncReport } from '../../../../common/report';
import { itemSourceOf, reportFields, reportItemCount, reportItems } from '../../../../common/reportItems';
import { ItemSpool } from './itemSpool';

/**
 * Writes a report as JSON atomically (temp file + rename), so a reader never sees half a report.
 * One item a line, written a megabyte at a time: a 100k-item report never exists as one string.
 * Items a dry run wrote out (itemSpool.ts) are already in this layout: their file's bytes are
 * copied, never decoded or parsed. Their spool then reads them from this file. `extra` fields
 * follow the items (a saved plan's `plan`). Returns where the items' bytes are in the file.
 */
export async function writeReportJson(
  file: string,
  report: SyncReport,
  extra: Record<string, unknown> = {},
): Promise<{ start: number; end: number }> {
  const tmp = `${file}.${process.pid}.tmp`;
  const marker = '\u0000items\u0000';
  const [before, after] = JSON.stringify({ ...reportFields(report), items: marker, ...extra }).split(JSON.stringify(marker)) as [
    string,
    string,
  ];
  const source = itemSourceOf(report);
  const head = `${before}[\n`;
  const start = Buffer.byteLength(head);
  let end = start;
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.write(head);
      end += source instanceof ItemSpool ? await copyItems(fh, source.itemBytes()) : await writeItems(fh, reportItems(report));
      await fh.write(`\n]${after}`);
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    // Nothing half-written is left: not the temporary file, and `file` is as it was.
    await rm(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'EISDIR' ? new Error(`${file} is a folder: name a file to write`) : err;
  }
  return { start, end };
}

/** The items' bytes of a spool or a saved report (lines ending in `,` but the last); how many. */
async function copyItems(fh: FileHandle, from: { readonly file: string; readonly start: number; readonly end: number }): Promise<number> {
  const input = await open(from.file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = from.start; pos < from.end; ) {
      const { bytesRead } = await input.read(buf, 0, Math.min(buf.length, from.end - pos), pos);
      if (bytesRead === 0) throw new Error(`${from.file} was cut short at ${pos} of ${from.end} bytes`);
      await fh.write(buf, 0, bytesRead);
      pos += bytesRead;
    }
  } finally {
    await input.close();
  }
  return from.end - from.start;
}

/** `pieces` handed to `write` joined a megabyte at a time; how many bytes (UTF-8) were written. */
async function writeJoined(write: (text: string) => unknown, pieces: Iterable<string>): Promise<number> {
  let chunk: string[] = [];
  let length = 0;
  let written = 0;
  const flush = async () => {
    const text = chunk.join('');
    written += Buffer.byteLength(text);
    await write(text);
    chunk = [];
    length = 0;
  };
  for (const piece of pieces) {
    chunk.push(piece);
    length += piece.length;
    if (length >= 1 << 20) await flush();
  }
  await flush();
  return written;
}

/** The items as JSON text, `,\n` between them (each `indent`ed when given, as `JSON.stringify(…, null, 2)` nests them). */
function* itemPieces(items: Iterable<ReportItem>, indent?: string): Generator<string> {
  let first = true;
  for (const item of items) {
    const text = indent === undefined ? JSON.stringify(item) : indent + JSON.stringify(item, null, 2).replace(/\n/g, `\n${indent}`);
    yield first ? text : `,\n${text}`;
    first = false;
  }
}

function writeItems(fh: FileHandle, items: Iterable<ReportItem>): Promise<number> {
  return writeJoined((text) => fh.write(text), itemPieces(items));
}

/**
 * The report as `JSON.stringify(report, null, 2)` prints it, given to `write` piece by piece: the
 * items are read and indented one at a time (a 100k-item report never exists as one string).
 */
export async function printReportJson(write: (text: string) => unknown, report: SyncReport): Promise<void> {
  const marker = '\u0000items\u0000';
  const [before, after] = JSON.stringify({ ...reportFields(report), items: marker }, null, 2).split(JSON.stringify(marker)) as [
    string,
    string,
  ];
  const count = reportItemCount(report);
  await writeJoined(
    write,
    (function* () {
      yield count ? `${before}[\n` : `${before}[]${after}`;
      if (!count) return;
      yield* itemPieces(reportItems(report), '    ');
      yield `\n  ]${after}`;
    })(),
  );
}
