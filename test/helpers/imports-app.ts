import { startTestServer, type TestServer } from "./app";

export interface ImportTestServer extends TestServer {
  /** POSTs bytes to /api/imports/<kind>: raw (default text/csv) or as multipart field `file`. */
  upload: (
    kind: string,
    token: string,
    data: Uint8Array | string,
    opts?: { query?: string; contentType?: string; multipart?: boolean },
  ) => Promise<{ status: number; body: any }>;
}

/** The real app (imports included) with an upload helper for CSV bodies. */
export const startImportServer = async (): Promise<ImportTestServer> => {
  const server = await startTestServer();
  const url = server.url;
  const parse = async (res: Response) => {
    const text = await res.text();
    try {
      return { status: res.status, body: text ? JSON.parse(text) : null };
    } catch {
      return { status: res.status, body: text as any };
    }
  };
  const upload: ImportTestServer["upload"] = async (kind, token, data, opts = {}) => {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const path = `/api/imports/${kind}${opts.query ? `?${opts.query}` : ""}`;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    let body: FormData | Uint8Array;
    if (opts.multipart) {
      const form = new FormData();
      form.append("file", new Blob([bytes], { type: "text/csv" }), `${kind}.csv`);
      body = form;
    } else {
      headers["content-type"] = opts.contentType ?? "text/csv";
      body = bytes;
    }
    return parse(await fetch(url + path, { method: "POST", headers, body }));
  };
  return { ...server, upload };
};
