/**
 * Where a request's document is uploaded (POST), read (GET) and removed (DELETE):
 * app/api/uploads/access/[number]/[kind]/route.ts, under /api/uploads so that the proxy leaves
 * its 50 MB body alone.
 */
export const documentUrl = (number: string, kind: string) => `/api/uploads/access/${encodeURIComponent(number)}/${encodeURIComponent(kind)}`;
