import { ApiError, ErrorCode } from '@ablate/contracts';
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Passes an upload through while it counts its bytes (refusing more than `maxBytes`), hashes it,
 * and checks it is one complete gzip stream. gzip ends with a CRC and the length of what it holds,
 * so an archive cut anywhere (a worker killed mid-upload behind a proxy that still ended the
 * request cleanly) fails the check instead of replacing a good checkpoint.
 */
export class CheckpointMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly gunzip = createGunzip();
  /** Resolves once the whole upload has been checked; rejects with a 400 when it is not a complete gzip. */
  readonly verified: Promise<void>;
  private broken: ApiError | null = null;
  private waiting: TransformCallback | null = null;

  constructor(private readonly maxBytes: number) {
    super();
    this.verified = new Promise<void>((resolve, reject) => {
      this.gunzip.on('end', resolve);
      this.gunzip.on('error', (err) => {
        this.broken = new ApiError(ErrorCode.ValidationFailed, `The checkpoint upload is not a gzipped tar (${err.message}); the previous checkpoint was kept.`);
        reject(this.broken);
        this.release();
      });
    });
    this.verified.catch(() => undefined); // awaited by the writer; never an unhandled rejection
    this.gunzip.resume(); // what it inflates is only checked, not kept
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new ApiError(ErrorCode.PayloadTooLarge, `The checkpoint is larger than ${this.maxBytes} bytes, the scheduler's ABLATE_CHECKPOINT_MAX_BYTES; the previous checkpoint was kept. Raise that limit on the scheduler, or keep less in the checkpoint folder.`));
      return;
    }
    if (this.broken) return done(this.broken);
    this.hash.update(chunk);
    // Backpressure from the check holds the upload too: a gzip bomb cannot fill memory.
    if (this.gunzip.write(chunk)) return done(null, chunk);
    this.waiting = (err, data: unknown) => done(err ?? this.broken, data);
    this.gunzip.once('drain', () => this.release(chunk));
  }

  override _flush(done: TransformCallback): void {
    if (this.broken) return done(this.broken);
    this.gunzip.end();
    done();
  }

  private release(chunk?: Buffer): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(null, chunk);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}
