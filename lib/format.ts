/**
 * Sizes as people read them on a page: bytes in powers of 1,024 with the IEC unit, three
 * significant figures ("2.41 GiB"), so a 1 GiB dataset file and a 40 KiB protocol read alike.
 * Isomorphic: pages and client components both use it.
 */
const UNITS = ["bytes", "KiB", "MiB", "GiB", "TiB"] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : Number(value.toPrecision(3))} ${UNITS[unit]}`;
}
