/** The Content-Security-Policy of every page, with the request's nonce. */
export function contentSecurityPolicy(nonce: string, opts: { chainRpc?: string | undefined } = {}): string {
  // The verifier page asks the chain itself from the visitor's browser: its RPC is the one
  // remote origin a page may connect to.
  let rpcOrigin = "";
  try {
    if (opts.chainRpc) rpcOrigin = ` ${new URL(opts.chainRpc).origin}`;
  } catch {
    rpcOrigin = "";
  }
  return [
    "default-src 'self'",
    // wasm-unsafe-eval: the proof and hashing code compiles WebAssembly in the browser.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${rpcOrigin}`,
    // blob: lets a page start the Web Workers that generate zero-knowledge proofs.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
