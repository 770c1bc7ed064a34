import { ApiError, ErrorCode } from '@ablate/contracts';
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Passes an upload through while it counts its bytes (refusing more than `maxBytes`), hashes it,
 * and checks it is one complete gzip stream. gzip ends with a CRC and the length of what it holds,
 * so an archive cut anywhere (a worker killed mid-upload behind a proxy that still ended the
 * request cleanly) fails the check instead of replacing a good checkpoint.
 *
 * A refused upload is read to its end, its bytes dropped, and only then answered (`refusal`):
 * ending the request early resets the connection, which the worker cannot tell from a network
 * failure, so it would send the same refused upload again and again.
 */
export class CheckpointMeter extends Transform {
  bytes = 0;
  /** Why the upload is refused (too large, not a gzip), once it is. */
  refusal: ApiError | null = null;
  private readonly hash = createHash('sha256');
  private readonly gunzip = createGunzip();
  /** Resolves once the whole upload has been checked as a complete gzip (await it only without a `refusal`). */
  readonly verified: Promise<void>;
  private waiting: TransformCallback | null = null;

  constructor(private readonly maxBytes: number) {
    super();
    this.verified = new Promise<void>((resolve, reject) => {
      this.gunzip.on('end', resolve);
      this.gunzip.on('error', (err) => {
        this.refuse(new ApiError(ErrorCode.ValidationFailed, `The checkpoint upload is not a gzipped tar (${err.message}); the previous checkpoint was kept.`));
        reject(this.refusal!);
        this.release();
      });
    });
    this.verified.catch(() => undefined); // the writer checks `refusal` first; never an unhandled rejection
    this.gunzip.resume(); // what it inflates is only checked, not kept
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.refuse(new ApiError(ErrorCode.PayloadTooLarge, `The checkpoint is larger than ${this.maxBytes} bytes, the scheduler's ABLATE_CHECKPOINT_MAX_BYTES; the previous checkpoint was kept. Raise that limit on the scheduler, or keep less in the checkpoint folder.`));
    }
    if (this.refusal) return done(); // read, not kept
    this.hash.update(chunk);
    // Backpressure from the check holds the upload too: a gzip bomb cannot fill memory.
    if (this.gunzip.write(chunk)) return done(null, chunk);
    this.waiting = done;
    this.gunzip.once('drain', () => this.release(chunk));
  }

  override _flush(done: TransformCallback): void {
    if (!this.refusal) this.gunzip.end();
    done();
  }

  sha256(): string {
    return this.hash.digest('hex');
  }

  private refuse(error: ApiError): void {
    this.refusal ??= error;
  }

  private release(chunk?: Buffer): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (this.refusal) waiting?.();
    else waiting?.(null, chunk);
  }
}
