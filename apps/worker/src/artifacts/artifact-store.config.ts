import { z } from 'zod';
import type { SchedulerConnection } from '../scheduler-connection.js';
import type { ArtifactStore } from './artifact-store.js';
import { FolderArtifactStore } from './folder-artifact-store.js';
import { S3ArtifactStore, type S3ArtifactStoreOptions } from './s3-artifact-store.js';
import { SchedulerArtifactStore } from './scheduler-artifact-store.js';

/** Which artifact store the agent uses, as configured. */
export type ArtifactStoreSpec =
  /** The scheduler keeps checkpoints (default): nothing to share between nodes. */
  | { kind: 'scheduler' }
  /** An S3 bucket (AWS or S3-compatible); credentials from the standard AWS environment. */
  | ({ kind: 's3' } & S3ArtifactStoreOptions)
  /** A folder every node mounts (NFS), or the one machine's disk. */
  | { kind: 'folder'; root: string };

/** Environment variables that choose the store. */
export const ArtifactStoreEnv = z.object({
  /** `scheduler` (default), `s3` (implied by ABLATE_ARTIFACTS_S3_BUCKET) or `folder` (implied by ABLATE_ARTIFACTS_SHARED_DIR). */
  ABLATE_ARTIFACT_STORE: z.enum(['scheduler', 's3', 'folder'], { message: 'ABLATE_ARTIFACT_STORE must be scheduler, s3 or folder' }).optional(),
  /** Bucket of the S3 store. */
  ABLATE_ARTIFACTS_S3_BUCKET: z.string().min(3).optional(),
  /** Endpoint of an S3-compatible server, e.g. http://minio:9000 (default: AWS). */
  ABLATE_ARTIFACTS_S3_ENDPOINT: z.string().url('ABLATE_ARTIFACTS_S3_ENDPOINT must be a URL such as http://minio:9000').optional(),
  /** Region of the bucket (default AWS_REGION, else us-east-1). */
  ABLATE_ARTIFACTS_S3_REGION: z.string().min(1).optional(),
  /** Key prefix of the checkpoints (default `checkpoints/`). */
  ABLATE_ARTIFACTS_S3_PREFIX: z.string().optional(),
  /** `true` for path-style URLs (default: true with an endpoint, false on AWS). */
  ABLATE_ARTIFACTS_S3_PATH_STYLE: z.enum(['true', 'false']).optional(),
  /** Folder of the `folder` store, mounted on every node. */
  ABLATE_ARTIFACTS_SHARED_DIR: z.string().min(1).optional(),
});

/** Reads the store from the environment; throws with what to fix when it is incomplete. */
export function artifactStoreFromEnv(env: NodeJS.ProcessEnv): ArtifactStoreSpec {
  const parsed = ArtifactStoreEnv.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  const e = parsed.data;
  const kind = e.ABLATE_ARTIFACT_STORE ?? (e.ABLATE_ARTIFACTS_S3_BUCKET ? 's3' : e.ABLATE_ARTIFACTS_SHARED_DIR ? 'folder' : 'scheduler');
  switch (kind) {
    case 'scheduler':
      return { kind };
    case 'folder':
      if (!e.ABLATE_ARTIFACTS_SHARED_DIR) throw new Error('ABLATE_ARTIFACT_STORE=folder needs ABLATE_ARTIFACTS_SHARED_DIR: a folder every worker node mounts.');
      return { kind, root: e.ABLATE_ARTIFACTS_SHARED_DIR };
    case 's3':
      if (!e.ABLATE_ARTIFACTS_S3_BUCKET) throw new Error('ABLATE_ARTIFACT_STORE=s3 needs ABLATE_ARTIFACTS_S3_BUCKET (and credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE).');
      return {
        kind,
        bucket: e.ABLATE_ARTIFACTS_S3_BUCKET,
        ...(e.ABLATE_ARTIFACTS_S3_ENDPOINT ? { endpoint: e.ABLATE_ARTIFACTS_S3_ENDPOINT } : {}),
        ...(e.ABLATE_ARTIFACTS_S3_REGION ? { region: e.ABLATE_ARTIFACTS_S3_REGION } : {}),
        ...(e.ABLATE_ARTIFACTS_S3_PREFIX !== undefined ? { prefix: e.ABLATE_ARTIFACTS_S3_PREFIX } : {}),
        ...(e.ABLATE_ARTIFACTS_S3_PATH_STYLE ? { forcePathStyle: e.ABLATE_ARTIFACTS_S3_PATH_STYLE === 'true' } : {}),
      };
  }
}

/** The store `spec` names; the scheduler store talks through the agent's registration. */
export function createArtifactStore(
  spec: ArtifactStoreSpec,
  scheduler: { apiUrl: string; token: string; connection: SchedulerConnection; fetch?: typeof fetch | undefined },
): ArtifactStore {
  switch (spec.kind) {
    case 'scheduler':
      return new SchedulerArtifactStore({ apiUrl: scheduler.apiUrl, token: scheduler.token, connection: scheduler.connection, ...(scheduler.fetch ? { fetch: scheduler.fetch } : {}) });
    case 'folder':
      return new FolderArtifactStore(spec.root);
    case 's3': {
      const { kind: _kind, ...options } = spec;
      return new S3ArtifactStore(options);
    }
  }
}
