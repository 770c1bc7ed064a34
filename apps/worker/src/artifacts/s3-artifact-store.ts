import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CHECKPOINT_MEDIA_TYPE } from '@ablate/contracts';
import type { Readable } from 'node:stream';
import type { ArtifactStore } from './artifact-store.js';
import { packCheckpoint, unpackCheckpoint } from './checkpoint-archive.js';

export interface S3ArtifactStoreOptions {
  bucket: string;
  /** Key prefix, e.g. `ablate/` (default `checkpoints/`). */
  prefix?: string;
  /** Endpoint of an S3-compatible server (MinIO, Ceph, R2, ...); default AWS for the region. */
  endpoint?: string;
  /** Region (default `AWS_REGION`, else `us-east-1`). */
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need; default: true when `endpoint` is set. */
  forcePathStyle?: boolean;
  /** Credentials; default the AWS SDK's chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles). */
  credentials?: S3ClientConfig['credentials'];
}

/** Metadata key of an object's step (S3 sends it as `x-amz-meta-ablate-step`). */
const STEP_KEY = 'ablate-step';

/**
 * Checkpoints in an S3 bucket: one object per trial, `<prefix><trialId>/checkpoint.tar.gz`, with its
 * step in the object's metadata. Uploads stream (`lib-storage` switches to a multipart upload
 * above 5 MB) and S3 makes an object visible only once it is complete, so a cut upload leaves the
 * previous checkpoint in place. Workers talk to the bucket themselves; the scheduler never sees
 * the bytes.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly name: string;
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly o: S3ArtifactStoreOptions) {
    this.prefix = o.prefix ?? 'checkpoints/';
    this.name = `s3://${o.bucket}/${this.prefix}`;
    this.client = new S3Client({
      region: o.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      forcePathStyle: o.forcePathStyle ?? o.endpoint !== undefined,
      ...(o.credentials ? { credentials: o.credentials } : {}),
    });
  }

  async put(trialId: string, localDir: string, step: number): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.o.bucket, Key: this.key(trialId), Body: packCheckpoint(localDir), ContentType: CHECKPOINT_MEDIA_TYPE, Metadata: { [STEP_KEY]: String(step) } },
    });
    await upload.done();
  }

  async get(trialId: string, localDir: string, newerThan: number | null): Promise<number | null> {
    let object;
    try {
      object = await this.client.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: this.key(trialId) }));
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
      throw err;
    }
    const step = Number(object.Metadata?.[STEP_KEY]);
    const body = object.Body as Readable;
    if (!Number.isInteger(step) || step < 0) {
      body.destroy();
      throw new Error(`${this.name}${trialId}/checkpoint.tar.gz has no ${STEP_KEY} metadata; it was not written by an Ablate worker.`);
    }
    if (newerThan !== null && step <= newerThan) {
      body.destroy();
      return null;
    }
    await unpackCheckpoint(body, localDir);
    return step;
  }

  async delete(trialId: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.o.bucket, Key: this.key(trialId) }));
  }

  isTransient(err: unknown): boolean {
    const e = err as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; name?: string } | null;
    if (e?.$retryable) return true;
    const status = e?.$metadata?.httpStatusCode;
    // No HTTP status at all: the endpoint was not reached (refused, reset, DNS), which says nothing of the request.
    return status === undefined || status >= 500 || status === 429;
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }

  private key(trialId: string): string {
    return `${this.prefix}${trialId}/checkpoint.tar.gz`;
  }
}
