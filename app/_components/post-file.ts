/**
 * Sends one file as the whole body of a POST (application/octet-stream, its name in X-File-Name,
 * percent-encoded because a header is Latin-1), reporting progress, and resolves with the
 * portal's JSON answer. XMLHttpRequest rather than fetch: fetch reports no upload progress.
 * Rejects with the portal's own error message when it gives one.
 */
export function postFile<T>(url: string, file: File, onProgress: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onerror = () => reject(new Error("The upload failed: the connection was lost. Try again."));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body !== undefined) return resolve(body as T);
      const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
      if (typeof message === "string") return reject(new Error(message));
      if (xhr.status === 413) return reject(new Error("The file is too large."));
      reject(new Error(`The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.send(file);
  });
}
