/**
 * Hands `content` to the browser as a download named `name`. Made on the device: nothing is sent.
 * The object URL is revoked shortly after, so the content (codes, an encrypted wallet) does not
 * stay reachable in memory longer than the download needs.
 */
export function saveFile(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
