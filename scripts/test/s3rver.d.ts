// The part of s3rver 3.7's API the tests use (the package ships no types).
declare module "s3rver" {
  type Options = {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    configureBuckets?: Array<{ name: string }>;
    resetOnClose?: boolean;
  };
  export default class S3rver {
    constructor(options: Options);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    /** Koa's middleware list (s3rver extends Koa), composed when the server starts listening. */
    middleware: Array<(ctx: never, next: () => Promise<void>) => Promise<void>>;
  }
}
