/**
 * "62 % — 620 MB of 1 GB": an upload's progress as people read it. Decimal units (1 MB = 10^6
 * bytes), as file managers and network speeds count; whole megabytes below a gigabyte, tenths of a
 * gigabyte above, so the text changes at a readable pace.
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${Number((bytes / 1e9).toFixed(1))} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

/** Whole percent, never 100 before the last byte is acknowledged. */
export function percentOf(sent: number, total: number): number {
  if (total <= 0) return 0;
  return sent >= total ? 100 : Math.min(99, Math.floor((sent / total) * 100));
}

export function progressText(sent: number, total: number): string {
  return `${percentOf(sent, total)} % — ${formatBytes(sent)} of ${formatBytes(total)}`;
}
