import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Request, Response } from 'express';

/** True when the client asks for CSV rather than JSON (`Accept: text/csv`). */
export const wantsCsv = (request: Request): boolean =>
  request.accepts(['application/json', 'text/csv']) === 'text/csv';

/**
 * Streams rows as a CSV download: as fast as the client reads, never the whole file in memory. An error once
 * the first bytes are out can no longer become a problem document: the connection is cut, so that the client
 * sees a failed download rather than a short file.
 */
export async function sendCsv(
  response: Response,
  filename: string,
  header: readonly string[],
  rows: AsyncIterable<string[]>,
): Promise<void> {
  // The first row (or the first failure) comes before any header is sent: a refusal is still a clean 4xx/5xx.
  const iterator = rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  response.status(200);
  response.type('text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  response.setHeader('Cache-Control', 'no-store');
  async function* all(): AsyncGenerator<string[]> {
    for (let next = first; !next.done; next = await iterator.next()) yield next.value;
  }
  await pipeline(Readable.from(all()), stringify({ header: true, columns: [...header] }), response);
}

/** A CSV byte stream (e.g. PostgreSQL's `COPY … TO STDOUT`) as a download, passed through as it is read. */
export const csvFile = (stream: Readable, filename: string): StreamableFile =>
  new StreamableFile(stream, {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${filename}"`,
  });
