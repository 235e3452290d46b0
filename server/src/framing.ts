// A self-healing LSP framing layer for stdin: a header or body that lies about its length is dropped and
// reading resumes at the next `Content-Length:` header, instead of desynchronising the stream forever.
import { Transform, type TransformCallback } from 'node:stream';

const HEADER = Buffer.from('Content-Length:', 'ascii');
const SEPARATOR = Buffer.from('\r\n\r\n', 'ascii');

export class ReframingStream extends Transform {
  private buffer = Buffer.alloc(0);
  /** Messages dropped because their frame was broken (for logging). */
  dropped = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.drain();
    done();
  }

  private drain(): void {
    for (;;) {
      const start = this.buffer.indexOf(HEADER);
      if (start < 0) {
        // keep a tail that may hold the beginning of the next header
        if (this.buffer.length > HEADER.length) this.buffer = this.buffer.subarray(this.buffer.length - HEADER.length);
        return;
      }
      if (start > 0) {
        this.dropped++;
        this.buffer = this.buffer.subarray(start);
      }
      const end = this.buffer.indexOf(SEPARATOR);
      if (end < 0) return;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const match = /Content-Length:\s*(\d+)/i.exec(header);
      const next = this.buffer.indexOf(HEADER, HEADER.length);
      if (!match || (next >= 0 && next < end)) {
        this.dropped++;
        this.buffer = next >= 0 ? this.buffer.subarray(next) : Buffer.alloc(0);
        continue;
      }
      const length = Number(match[1]);
      const bodyStart = end + SEPARATOR.length;
      // wait for the whole body: a text containing "Content-Length:" is a perfectly valid body
      if (this.buffer.length < bodyStart + length) return;
      const body = this.buffer.subarray(bodyStart, bodyStart + length);
      if (!isJson(body)) {
        // the length lied (too short, or too long and swallowing the next message): resume at the next header
        this.dropped++;
        const resume = this.buffer.indexOf(HEADER, bodyStart);
        this.buffer = resume >= 0 ? this.buffer.subarray(resume) : Buffer.alloc(0);
        continue;
      }
      this.push(Buffer.concat([Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'ascii'), body]));
      this.buffer = this.buffer.subarray(bodyStart + length);
    }
  }
}

function isJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
