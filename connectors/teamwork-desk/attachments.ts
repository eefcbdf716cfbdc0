// Attachments written to Teamwork Desk go through the three-step upload (reference §5.3):
// 1. POST /files/ref.json → a pre-signed storage form (url + params) and the file record;
// 2. POST the form to that storage URL (multipart: every param, then the file) — without the
//    API key, the storage is another host;
// 3. PATCH /files/{id}.json to mark the upload complete (the official MCP skips it: optional [U]).
// The file id is then referenced as `files: [{ id }]`.
import axios from "axios";
import { isSampleAttachmentUrl, sampleAttachmentContent } from "@/connectors/sample";
import { guardedTransport, isPrivateAddressRefusal, isPrivateHostName } from "@/connectors/shared/host-guard";
import type { HttpClient } from "@/connectors/shared/http-client";
import { decideRetry } from "@/connectors/shared/retry";
import type { RetryPolicy } from "@/connectors/shared/retry";
import { ConnectorError } from "@/connectors/types";
import type { Attachment } from "@/connectors/types";
import { DeskFileRefResponseSchema } from "./raw-schemas";

/** Largest attachment Ferry moves (Teamwork Desk's own limit is [U]; 25 MB is common for email). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
const UPLOAD_TIMEOUT_MS = 120_000;
const MAX_DOWNLOAD_REDIRECTS = 3;

export type FetchAttachment = (attachment: Attachment) => Promise<Uint8Array>;

export type UploadDeps = {
  v2: HttpClient;
  fetchAttachment: FetchAttachment;
  allowPrivateHosts: boolean;
  sleep: (ms: number) => Promise<void>;
  retry: RetryPolicy;
};

function privateHostError(url: URL, what: string): ConnectorError {
  return new ConnectorError("VALIDATION", `${what} ${url.host} is a private network address`);
}

function assertFetchableHost(url: URL, allowPrivateHosts: boolean, what: string) {
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConnectorError("VALIDATION", `${what} ${url.href} is not an http(s) address`);
  if (!allowPrivateHosts && isPrivateHostName(url.hostname)) throw privateHostError(url, what);
}

/** GET through the SSRF guard (the address checked when connecting); redirects are answered, never followed. */
async function guardedGet(url: URL, allowPrivateHosts: boolean, what: string) {
  assertFetchableHost(url, allowPrivateHosts, what);
  try {
    return await axios.get<ArrayBuffer>(url.href, {
      responseType: "arraybuffer",
      maxContentLength: MAX_ATTACHMENT_BYTES,
      timeout: UPLOAD_TIMEOUT_MS,
      maxRedirects: 0,
      validateStatus: () => true,
      ...guardedTransport(allowPrivateHosts),
    });
  } catch (error) {
    if (isPrivateAddressRefusal(error)) throw privateHostError(url, what);
    throw error;
  }
}

/** Downloads a file, each redirect's address checked like the first. */
async function download(attachment: Attachment, allowPrivateHosts: boolean): Promise<Uint8Array> {
  let url = new URL(attachment.url);
  for (let redirects = 0; ; redirects += 1) {
    const response = await guardedGet(url, allowPrivateHosts, "The attachment address");
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && typeof location === "string") {
      if (redirects === MAX_DOWNLOAD_REDIRECTS)
        throw new ConnectorError("NOT_FOUND", `Attachment ${attachment.fileName} could not be downloaded: more than ${MAX_DOWNLOAD_REDIRECTS} redirects`);
      url = new URL(location, url);
      continue;
    }
    if (response.status >= 400)
      throw new ConnectorError(
        response.status >= 500 ? "TEMPORARY" : "NOT_FOUND",
        `Attachment ${attachment.fileName} could not be downloaded (HTTP ${response.status})`,
      );
    return new Uint8Array(response.data);
  }
}

/**
 * Default byte source: Sample attachments are generated (their .example URLs never resolve);
 * others are fetched without credentials. Sources whose files need a key pass their own
 * `fetchAttachment` in the session options.
 */
export function defaultFetchAttachment(allowPrivateHosts: boolean): FetchAttachment {
  return async (attachment) => {
    if (isSampleAttachmentUrl(attachment.url)) return sampleAttachmentContent(attachment);
    return download(attachment, allowPrivateHosts);
  };
}

/** Step 2: the multipart POST to the storage URL, retried like any request (same key, so idempotent). */
async function postToStorage(deps: UploadDeps, url: string, params: Record<string, string | number>, attachment: Attachment, bytes: Uint8Array): Promise<void> {
  const target = new URL(url);
  assertFetchableHost(target, deps.allowPrivateHosts, "The upload address");
  for (let attempt = 1; ; attempt += 1) {
    const form = new FormData();
    for (const [key, value] of Object.entries(params)) form.append(key, String(value));
    form.append("file", new Blob([new Uint8Array(bytes)], { type: attachment.contentType || "application/octet-stream" }), attachment.fileName);
    let status: number;
    let headers: Record<string, string | undefined> = {};
    try {
      const response = await axios.post(target.href, form, {
        timeout: UPLOAD_TIMEOUT_MS,
        maxRedirects: 0,
        validateStatus: () => true,
        maxBodyLength: MAX_ATTACHMENT_BYTES * 2,
        ...guardedTransport(deps.allowPrivateHosts),
      });
      status = response.status;
      headers = Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value === undefined || value === null ? undefined : String(value)]),
      );
      if (status >= 200 && status < 300) return;
    } catch (error) {
      if (isPrivateAddressRefusal(error)) throw privateHostError(target, "The upload address");
      const code = (error as { code?: unknown }).code;
      const decision = decideRetry({ kind: "network", code: typeof code === "string" ? code : "ERR_NETWORK" }, attempt, deps.retry);
      if (!decision.retry) throw new ConnectorError("TEMPORARY", `Uploading ${attachment.fileName} failed: network error`);
      await deps.sleep(decision.delayMs);
      continue;
    }
    const decision = decideRetry({ kind: "status", status, headers }, attempt, deps.retry);
    if (!decision.retry)
      throw new ConnectorError(status >= 500 ? "TEMPORARY" : "VALIDATION", `Uploading ${attachment.fileName} was refused by the storage (HTTP ${status})`);
    await deps.sleep(decision.delayMs);
  }
}

/** Uploads one attachment and returns its Teamwork Desk file id. */
export async function uploadAttachment(deps: UploadDeps, attachment: Attachment): Promise<string> {
  const bytes = await deps.fetchAttachment(attachment);
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES)
    throw new ConnectorError("VALIDATION", `${attachment.fileName} is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
  // §5.3 step 1 (flat body as in the official examples; an orphan ref from a retried call is harmless).
  const ref = await deps.v2.request({
    method: "POST",
    path: "/files/ref.json",
    body: { type: "attachment", filename: attachment.fileName, mimeType: attachment.contentType || "application/octet-stream", disposition: "attachment" },
    schema: DeskFileRefResponseSchema,
  });
  const fileId = String(ref.data.file.id);
  await postToStorage(deps, ref.data.url, ref.data.params ?? {}, attachment, bytes);
  try {
    // §5.3 step 3: mark complete; optional [U], so a 404/400 here is not fatal.
    await deps.v2.request({ method: "PATCH", path: `/files/${fileId}.json`, body: {} });
  } catch (error) {
    if (!(error instanceof ConnectorError) || (error.code !== "NOT_FOUND" && error.code !== "VALIDATION")) throw error;
  }
  return fileId;
}

/**
 * Whether Teamwork's importer can fetch a URL itself (§6: "attachment URLs must be publicly
 * fetchable"): http(s), not a private address, not made up by the Sample source.
 */
export function isPublicAttachmentUrl(url: string): boolean {
  if (isSampleAttachmentUrl(url)) return false;
  try {
    const parsed = new URL(url);
    // A Teamwork Desk download link needs the source site's key: Ferry carries those bytes itself.
    if (parsed.hostname.endsWith(".teamwork.com") && parsed.pathname.startsWith("/desk/")) return false;
    return (parsed.protocol === "https:" || parsed.protocol === "http:") && !isPrivateHostName(parsed.hostname);
  } catch {
    return false;
  }
}
