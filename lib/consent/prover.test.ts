import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PROVING_ARTIFACTS, PROVING_ARTIFACTS_BYTES, SEMAPHORE_ARTIFACTS_PACKAGE } from "@/lib/consent/artifacts";
import { ARTIFACT_CACHE_NAME, checkArtifact, loadProvingArtifacts, sha256Hex } from "@/lib/consent/prover";

const dir = path.dirname(createRequire(import.meta.url).resolve(`${SEMAPHORE_ARTIFACTS_PACKAGE}/package.json`));
const files = {
  wasm: new Uint8Array(fs.readFileSync(path.join(dir, PROVING_ARTIFACTS.wasm.file))),
  zkey: new Uint8Array(fs.readFileSync(path.join(dir, PROVING_ARTIFACTS.zkey.file))),
};

/** A fetch serving the two artifacts under `base`, in 64 KiB chunks; `zkey` replaces the zkey's bytes. */
function fakeFetch(base: string, opts: { zkey?: Uint8Array } = {}) {
  const bodies = new Map([
    [`${base}${PROVING_ARTIFACTS.wasm.url}`, files.wasm],
    [`${base}${PROVING_ARTIFACTS.zkey.url}`, opts.zkey ?? files.zkey],
  ]);
  return vi.fn((url: string) => {
    const body = bodies.get(url);
    if (!body) return Promise.resolve(new Response(null, { status: 404 }));
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= body.byteLength) return controller.close();
        controller.enqueue(body.slice(offset, offset + 65536));
        offset += 65536;
      },
    });
    return Promise.resolve(new Response(stream));
  });
}

/** An in-memory Cache Storage with the three Cache methods the loader uses. */
function fakeCaches() {
  const stores = new Map<string, Map<string, ArrayBuffer>>();
  const open = vi.fn((name: string) => {
    const store = stores.get(name) ?? new Map<string, ArrayBuffer>();
    stores.set(name, store);
    return Promise.resolve({
      match: (url: string) => Promise.resolve(store.has(url) ? new Response(store.get(url)) : undefined),
      put: async (url: string, response: Response) => void store.set(url, await response.arrayBuffer()),
      delete: (url: string) => Promise.resolve(store.delete(url)),
    });
  });
  return { open, stores };
}

// toEqual on megabytes compares element by element and takes seconds; compare as buffers.
const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.compare(a, b) === 0;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("sha256Hex and checkArtifact", () => {
  it("give node:crypto's digest, with WebCrypto and without it (insecure origins)", async () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const expected = createHash("sha256").update(bytes).digest("hex");
    expect(await sha256Hex(bytes)).toBe(expected);
    vi.stubGlobal("crypto", {});
    expect(await sha256Hex(bytes)).toBe(expected);
  });

  it("accept the installed artifacts and refuse one changed byte", async () => {
    await expect(checkArtifact(PROVING_ARTIFACTS.wasm, files.wasm, "test")).resolves.toBeUndefined();
    const changed = files.wasm.slice();
    changed[10] = (changed[10] ?? 0) ^ 1;
    await expect(checkArtifact(PROVING_ARTIFACTS.wasm, changed, "test")).rejects.toThrow(/semaphore-20\.wasm from test is not the expected one/);
  });
});

describe("loadProvingArtifacts", () => {
  it("downloads both files once per page, verified, reporting progress up to the total", async () => {
    const base = `http://portal.test/${randomUUID()}`;
    const fetch = fakeFetch(base);
    vi.stubGlobal("fetch", fetch);
    const progress: [number, number][] = [];
    const first = loadProvingArtifacts({ baseUrl: base, onProgress: (loaded, total) => progress.push([loaded, total]) });
    const second = loadProvingArtifacts({ baseUrl: `${base}/` });
    expect(second).toBe(first);
    const artifacts = await first;
    expect(same(artifacts.wasm, files.wasm)).toBe(true);
    expect(same(artifacts.zkey, files.zkey)).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(progress[0]).toEqual([0, PROVING_ARTIFACTS_BYTES]);
    expect(progress.at(-1)).toEqual([PROVING_ARTIFACTS_BYTES, PROVING_ARTIFACTS_BYTES]);
    expect(progress.length).toBeGreaterThan(10);
  });

  it("keeps the files in Cache Storage, so another page does not download them", async () => {
    const base = `http://portal.test/${randomUUID()}`;
    const caches = fakeCaches();
    vi.stubGlobal("caches", caches);
    vi.stubGlobal("fetch", fakeFetch(base));
    await loadProvingArtifacts({ baseUrl: base });
    expect(caches.open).toHaveBeenCalledWith(ARTIFACT_CACHE_NAME);
    expect(caches.stores.get(ARTIFACT_CACHE_NAME)?.size).toBe(2);

    // A new page: module state is gone, the cache stays.
    vi.resetModules();
    const fresh = await import("@/lib/consent/prover");
    const fetch = fakeFetch(base);
    vi.stubGlobal("fetch", fetch);
    const progress: number[] = [];
    const artifacts = await fresh.loadProvingArtifacts({ baseUrl: base, onProgress: (loaded) => progress.push(loaded) });
    expect(fetch).not.toHaveBeenCalled();
    expect(same(artifacts.zkey, files.zkey)).toBe(true);
    expect(progress.at(-1)).toBe(PROVING_ARTIFACTS_BYTES);
  });

  it("downloads again when the cached copy is damaged", async () => {
    const base = `http://portal.test/${randomUUID()}`;
    const caches = fakeCaches();
    vi.stubGlobal("caches", caches);
    const store = new Map<string, ArrayBuffer>([[`${base}${PROVING_ARTIFACTS.zkey.url}`, new Uint8Array([1, 2, 3]).buffer]]);
    caches.stores.set(ARTIFACT_CACHE_NAME, store);
    const fetch = fakeFetch(base);
    vi.stubGlobal("fetch", fetch);
    const artifacts = await loadProvingArtifacts({ baseUrl: base });
    expect(same(artifacts.zkey, files.zkey)).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(same(new Uint8Array(store.get(`${base}${PROVING_ARTIFACTS.zkey.url}`) ?? new ArrayBuffer(0)), files.zkey)).toBe(true);
  });

  it("refuses a file with the wrong digest, caches nothing, and tries again on the next call", async () => {
    const base = `http://portal.test/${randomUUID()}`;
    const caches = fakeCaches();
    vi.stubGlobal("caches", caches);
    const tampered = files.zkey.slice();
    tampered[1000] = (tampered[1000] ?? 0) ^ 1;
    vi.stubGlobal("fetch", fakeFetch(base, { zkey: tampered }));
    await expect(loadProvingArtifacts({ baseUrl: base })).rejects.toThrow(/semaphore-20\.zkey .* is not the expected one/);
    expect(caches.stores.get(ARTIFACT_CACHE_NAME)?.has(`${base}${PROVING_ARTIFACTS.zkey.url}`)).toBe(false);

    vi.stubGlobal("fetch", fakeFetch(base));
    expect(same((await loadProvingArtifacts({ baseUrl: base })).zkey, files.zkey)).toBe(true);
  });

  it("refuses a body longer than the pinned size, and a failed download", async () => {
    const base = `http://portal.test/${randomUUID()}`;
    const longer = new Uint8Array(PROVING_ARTIFACTS.zkey.bytes + 1);
    vi.stubGlobal("fetch", fakeFetch(base, { zkey: longer }));
    await expect(loadProvingArtifacts({ baseUrl: base })).rejects.toThrow(/larger than the expected 3890175 bytes/);
    vi.stubGlobal("fetch", fakeFetch(`${base}/elsewhere`));
    await expect(loadProvingArtifacts({ baseUrl: base })).rejects.toThrow(/could not be downloaded \(HTTP 404\)/);
  });
});
