// Attachments (reference §5.3), the 3-step S3 upload:
//   1. POST /files/ref.json {type, filename, mimeType, disposition} (flat, or `{"file":{…}}` as the
//      Go SDK sends it) → `{url, params, file}`;
//   2. POST {url} multipart/form-data, every `params` entry as a field, then `file` → S3 201/204;
//   3. PATCH /files/{id}.json (empty body) marks the upload complete — optional [U] (the MCP skips it);
//   4. `files: [{"id": …}]` on ticket or message create.
// The `url` points at this sandbox's fake S3 (`/s3/<bucket>/`). v1's one-step
// `POST /desk/v1/upload/attachment` (multipart) → `{"attachment":{"id":…}}` lives here too.
import { createHash } from "node:crypto";
import { mustBeSet, validation } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { readEnum, readString, unwrap } from "../input";
import type { FileRow } from "../model";
import { singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS } from "../views";
import { crud, found } from "./common";

export const S3_BUCKET = "tw-desk";
/** How long an upload policy stays valid (the real lifetime is not documented). */
const UPLOAD_POLICY_LIFETIME_MS = 60 * 60 * 1_000;
const DISPOSITIONS = ["attachment", "attachment-inline"] as const;

function s3Date(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function createRef(store: DeskStore, request: ApiRequest): ApiResponse {
  const input = unwrap(request.body, "file", { allowFlat: true });
  const filename = readString(input, "filename", { required: true })!;
  const mimeType = readString(input, "mimeType") ?? "application/octet-stream";
  const disposition = readEnum(input, "disposition", DISPOSITIONS) ?? "attachment";
  const id = store.files.nextId();
  const key = `desk/${id}/${filename}`;
  const file = store.files.insert({
    id,
    ...store.base(),
    type: readString(input, "type") ?? "attachment",
    filename,
    mimeType,
    disposition,
    key,
    sizeBytes: null,
    content: null,
    lazyContent: null,
    uploadedAt: null,
    completedAt: null,
    downloadUrl: null,
  });
  const nowMs = store.nowMs();
  const policy = Buffer.from(
    JSON.stringify({
      expiration: new Date(nowMs + UPLOAD_POLICY_LIFETIME_MS).toISOString(),
      conditions: [{ bucket: S3_BUCKET }, { key }, { "Content-Type": mimeType }, { success_action_status: "201" }],
    }),
  ).toString("base64");
  return {
    status: 200,
    body: {
      url: `${request.baseUrl}/s3/${S3_BUCKET}/`,
      params: {
        "Content-Type": mimeType,
        bucket: S3_BUCKET,
        key,
        policy,
        success_action_status: "201",
        "x-amz-algorithm": "AWS4-HMAC-SHA256",
        "x-amz-credential": `SANDBOX/${s3Date(nowMs).slice(0, 8)}/us-east-1/s3/aws4_request`,
        "x-amz-date": s3Date(nowMs),
        "x-amz-signature": store.uploadSignature(policy),
      },
      file: VIEWS.files.render(store, file),
    },
  };
}

export function handleFiles(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  if (rest.length === 1 && rest[0] === "ref") {
    if (request.method === "POST") return createRef(store, request);
  }
  return crud(request, rest, {
    get: (id) => singleResponse(store, VIEWS.files, found(store.files, id, "File"), request.params),
    update: (id) => {
      const file = found(store.files, id, "File");
      file.completedAt = store.now();
      store.touch(file);
      return singleResponse(store, VIEWS.files, file, request.params);
    },
  });
}

// --- the fake S3 bucket ------------------------------------------------------------------------
function s3Error(status: number, code: string, message: string): ApiResponse {
  return {
    status,
    raw: { contentType: "application/xml", data: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>` },
  };
}

const REQUIRED_S3_FIELDS = ["key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"] as const;

/** `POST /s3/<bucket>/` with the form from step 1; S3's own rules: the file must be the last field. */
export async function handleS3Upload(store: DeskStore, method: string, bucket: string, form: FormData | null): Promise<ApiResponse> {
  if (method !== "POST" || bucket !== S3_BUCKET) return s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
  if (!form) return s3Error(412, "PreconditionFailed", "Bucket POST must be of the enclosure-type multipart/form-data");
  const entries = [...form.entries()];
  const last = entries[entries.length - 1];
  if (!last || last[0] !== "file" || typeof last[1] === "string")
    return s3Error(400, "InvalidArgument", "POST requires exactly one file upload per request, as the last field");
  const fields = new Map(entries.filter(([name]) => name !== "file").map(([name, value]) => [name.toLowerCase(), String(value)]));
  for (const name of REQUIRED_S3_FIELDS) if (!fields.has(name)) return s3Error(400, "InvalidArgument", `Bucket POST must contain a field named '${name}'`);
  const policy = fields.get("policy")!;
  if (fields.get("x-amz-signature") !== store.uploadSignature(policy))
    return s3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
  const conditions = JSON.parse(Buffer.from(policy, "base64").toString("utf8")) as { expiration: string; conditions: Record<string, string>[] };
  if (Date.parse(conditions.expiration) < store.nowMs()) return s3Error(403, "AccessDenied", "Invalid according to Policy: Policy expired.");
  for (const condition of conditions.conditions) {
    for (const [name, expected] of Object.entries(condition)) {
      const actual = name === "bucket" ? bucket : fields.get(name.toLowerCase());
      if (actual !== expected) return s3Error(403, "AccessDenied", `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${expected}"]`);
    }
  }
  const file = store.files.all().find((row) => row.key === fields.get("key"));
  if (!file) return s3Error(403, "AccessDenied", "Invalid according to Policy");
  const bytes = new Uint8Array(await (last[1] as Blob).arrayBuffer());
  storeBytes(store, file, bytes);
  const etag = `"${createHash("md5").update(bytes).digest("hex")}"`;
  const status = fields.get("success_action_status");
  if (status === "201") {
    return {
      status: 201,
      headers: { etag },
      raw: {
        contentType: "application/xml",
        data: `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>/${bucket}/${file.key}</Location><Bucket>${bucket}</Bucket><Key>${file.key}</Key><ETag>${etag}</ETag></PostResponse>`,
      },
    };
  }
  return { status: status === "200" ? 200 : 204, headers: { etag } };
}

function storeBytes(store: DeskStore, file: FileRow, bytes: Uint8Array) {
  file.content = bytes;
  file.sizeBytes = bytes.length;
  file.uploadedAt = store.now();
}

/** v1 `POST /desk/v1/upload/attachment` (multipart, field `file`) → `{"attachment":{"id":…}}` (reference §5.3). */
export async function handleV1Upload(store: DeskStore, request: ApiRequest): Promise<ApiResponse> {
  if (request.method !== "POST") throw validation("use POST", "method");
  const upload = request.form?.get("file");
  if (!upload || typeof upload === "string") throw mustBeSet("file");
  const blob = upload as File;
  const id = store.files.nextId();
  const file = store.files.insert({
    id,
    ...store.base(),
    type: "attachment",
    filename: blob.name || "attachment",
    mimeType: blob.type || "application/octet-stream",
    disposition: "attachment",
    key: `desk/${id}/${blob.name || "attachment"}`,
    sizeBytes: null,
    content: null,
    lazyContent: null,
    uploadedAt: null,
    completedAt: null,
    downloadUrl: null,
  });
  storeBytes(store, file, new Uint8Array(await blob.arrayBuffer()));
  file.completedAt = file.uploadedAt;
  return { status: 200, body: { attachment: { id: file.id, filename: file.filename, mimeType: file.mimeType, size: file.sizeBytes } } };
}
