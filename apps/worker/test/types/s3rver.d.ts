/** The part of `@20minutes/s3rver` (a local S3-compatible server, for tests) that the tests use; the package ships no types. */
declare module '@20minutes/s3rver' {
  export interface S3rverOptions {
    /** 0 picks a free port. */
    port?: number;
    address?: string;
    silent?: boolean;
    /** Where it keeps buckets and objects. */
    directory: string;
    /** Buckets that exist from the start. */
    configureBuckets?: { name: string }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
