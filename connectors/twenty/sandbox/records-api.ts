// Core REST record endpoints (reference §2): /rest/{namePlural}[/{id}[/restore]], /rest/batch/{namePlural},
// with Twenty's envelopes (reference §2.3) and path rules (parse-core-path.utils).
import { badRequest, forbidden, routeNotFound } from "./errors";
import { parseFilterQuery, type FilterNode } from "./filter";
import { capitalize, ok, type ApiRequest, type ApiResponse } from "./http-types";
import { isUuid } from "./ids";
import type { ObjectMetadata } from "./objects";
import { DEFAULT_LIMIT_RECORDS, parseDepth, parseFields, parseLimit, parseOrderBy, singleParam } from "./query";
import { type TwentyRecord, type TwentyStore } from "./store";
import { domainHost, normalizeEmail } from "./values";

function invalidPath(path: string) {
  return badRequest(`Query path '${path}' invalid. Valid examples: /rest/companies/id or /rest/companies or /rest/batch/companies`);
}

function resolveObject(store: TwentyStore, name: string): ObjectMetadata {
  const object = store.objectByPlural(name);
  // The wording for an unknown object is not in the reference [U]; the 400 is (reference §2).
  if (!object) throw badRequest(`object '${name}' not found`);
  return object;
}

function parseOptionalFilter(params: URLSearchParams): FilterNode | undefined {
  const raw = singleParam(params, "filter");
  return raw === undefined || raw === "" ? undefined : parseFilterQuery(raw);
}

function flag(params: URLSearchParams, name: string): boolean {
  return singleParam(params, name) === "true";
}

/**
 * Reference §4: workspace members join by invitation; the record API refuses to write them
 * (PERMISSION_DENIED in the createOne pre-query hook). Updates and deletes are refused too [U].
 */
function refuseSystemWrites(object: ObjectMetadata) {
  if (object.nameSingular === "workspaceMember") throw forbidden("Permission denied: workspace members cannot be written through the API");
}

/** Reference §5.1 [U]: a version's status changes through (de)activation, not a record update. */
function refuseWorkflowStatusPatch(object: ObjectMetadata, body: unknown) {
  if (object.nameSingular === "workflowVersion" && body !== null && typeof body === "object" && "status" in body) {
    throw badRequest("Workflow version status cannot be updated directly; use activateWorkflowVersion / deactivateWorkflowVersion");
  }
}

export function handleRecordsRequest(store: TwentyStore, request: ApiRequest): ApiResponse {
  const { method, segments, path } = request;
  const isRestore = method === "PATCH" && segments[segments.length - 1] === "restore";
  if (segments.length === 0 || segments.length > (isRestore ? 3 : 2)) throw invalidPath(path);

  if (segments[0] === "batch") {
    if (segments.length !== 2) throw invalidPath(path);
    if (method !== "POST") throw routeNotFound(method, path);
    return createMany(store, resolveObject(store, segments[1]), request);
  }

  const object = resolveObject(store, segments[0]);
  if (segments.length === 1) {
    switch (method) {
      case "GET":
        return findMany(store, object, request.params);
      case "POST":
        return createOne(store, object, request);
      case "PATCH":
        return updateMany(store, object, request);
      case "DELETE":
        return deleteMany(store, object, request.params);
      default:
        throw routeNotFound(method, path);
    }
  }

  const second = segments[1];
  if (segments.length === 2 && second === "restore" && method === "PATCH") {
    refuseSystemWrites(object);
    const records = store.restoreMany(object, parseOptionalFilter(request.params));
    return ok({ data: { [`restore${capitalize(object.namePlural)}`]: records } });
  }
  if (segments.length === 2 && second === "duplicates") {
    if (method !== "POST") throw routeNotFound(method, path);
    return findDuplicates(store, object, request.body);
  }
  if (segments.length === 2 && (second === "merge" || second === "groupBy")) {
    throw badRequest(`'${second}' is not simulated by the Twenty sandbox`);
  }

  if (!isUuid(second)) throw badRequest(`'${second}' is not a valid UUID`);
  if (segments.length === 3) {
    refuseSystemWrites(object);
    return ok({ data: { [`restore${capitalize(object.nameSingular)}`]: store.restore(object, second) } });
  }
  const depth = parseDepth(singleParam(request.params, "depth"));
  switch (method) {
    case "GET": {
      const fields = parseFields(singleParam(request.params, "fields"), store.metadata.activeFieldsOf(object.id));
      return ok({ data: { [object.nameSingular]: store.findOne(object, second, depth, fields) } });
    }
    // Reference §2: PUT is an undocumented alias of PATCH.
    case "PATCH":
    case "PUT": {
      refuseSystemWrites(object);
      refuseWorkflowStatusPatch(object, request.body);
      return ok({ data: { [`update${capitalize(object.nameSingular)}`]: store.updateRecord(object, second, request.body) } });
    }
    case "DELETE": {
      refuseSystemWrites(object);
      // Reference §2: DELETE destroys unless ?soft_delete=true. Current builds return the whole
      // record under delete<Singular> (which includes the reference's `{ id }`).
      const record = flag(request.params, "soft_delete") ? store.softDelete(object, second) : store.destroy(object, second);
      return ok({ data: { [`delete${capitalize(object.nameSingular)}`]: record } });
    }
    default:
      throw routeNotFound(method, path);
  }
}

function findMany(store: TwentyStore, object: ObjectMetadata, params: URLSearchParams): ApiResponse {
  const fields = store.metadata.activeFieldsOf(object.id);
  const result = store.findMany(object, {
    limit: parseLimit(singleParam(params, "limit"), DEFAULT_LIMIT_RECORDS, store.queryMaxRecords),
    orderBy: parseOrderBy(singleParam(params, "order_by"), fields, object.nameSingular),
    filter: parseOptionalFilter(params),
    startingAfter: singleParam(params, "starting_after"),
    endingBefore: singleParam(params, "ending_before"),
    depth: parseDepth(singleParam(params, "depth")),
    fields: parseFields(singleParam(params, "fields"), fields),
  });
  return ok({ data: { [object.namePlural]: result.records }, pageInfo: result.pageInfo, totalCount: result.totalCount });
}

function createOne(store: TwentyStore, object: ObjectMetadata, request: ApiRequest): ApiResponse {
  refuseSystemWrites(object);
  parseDepth(singleParam(request.params, "depth"));
  if (Array.isArray(request.body)) throw badRequest("Record input must be an object; use /rest/batch/{objects} for arrays");
  const [record] = store.createRecords(object, [request.body ?? {}], { upsert: flag(request.params, "upsert"), single: true });
  return ok({ data: { [`create${capitalize(object.nameSingular)}`]: record } }, 201);
}

function createMany(store: TwentyStore, object: ObjectMetadata, request: ApiRequest): ApiResponse {
  refuseSystemWrites(object);
  parseDepth(singleParam(request.params, "depth"));
  const body = request.body;
  if (!Array.isArray(body)) throw badRequest("Body must be an array");
  if (body.length === 0) throw badRequest("Input must not be empty");
  // Reference §2.3: CommonCreateManyQueryRunnerService refuses the batch before writing anything.
  if (body.length > store.queryMaxRecords) {
    throw badRequest(`Maximum number of records to upsert is ${store.queryMaxRecords}.`, "TOO_MANY_RECORDS_TO_UPDATE");
  }
  // Reference §6.3 [U]: a batch is atomic; one bad row fails the whole call and nothing is written.
  const records = store.createRecords(object, body, { upsert: flag(request.params, "upsert"), single: false });
  return ok({ data: { [`create${capitalize(object.namePlural)}`]: records } }, 201);
}

function updateMany(store: TwentyStore, object: ObjectMetadata, request: ApiRequest): ApiResponse {
  refuseSystemWrites(object);
  refuseWorkflowStatusPatch(object, request.body);
  const records = store.updateMany(object, parseOptionalFilter(request.params), request.body);
  return ok({ data: { [`update${capitalize(object.namePlural)}`]: records } });
}

function deleteMany(store: TwentyStore, object: ObjectMetadata, params: URLSearchParams): ApiResponse {
  refuseSystemWrites(object);
  const records = store.deleteMany(object, parseOptionalFilter(params), flag(params, "soft_delete"));
  return ok({ data: { [`delete${capitalize(object.namePlural)}`]: records } });
}

// ---------------------------------------------------------------------------------------------
// Duplicates (reference §2.3 envelope, §4 criteria)
// ---------------------------------------------------------------------------------------------

function text(value: unknown): string {
  return typeof value === "string" ? value.trim().toLowerCase() : "";
}

function subText(record: TwentyRecord, field: string, subField: string): string {
  const value = record[field];
  return value !== null && typeof value === "object" ? text((value as Record<string, unknown>)[subField]) : "";
}

/** Person: full name, linkedin URL, primary email [C]; company: name, domain [U]. Other objects: none. */
function duplicateKeys(object: ObjectMetadata, record: TwentyRecord): string[] {
  const keys: string[] = [];
  const add = (name: string, value: string) => {
    if (value !== "") keys.push(`${name}:${value}`);
  };
  if (object.nameSingular === "person") {
    const first = subText(record, "name", "firstName");
    const last = subText(record, "name", "lastName");
    if (first !== "" && last !== "") add("name", `${first} ${last}`);
    add("linkedin", subText(record, "linkedinLink", "primaryLinkUrl"));
    add("email", subText(record, "emails", "primaryEmail"));
  }
  if (object.nameSingular === "company") {
    add("name", text(record.name));
    const domain = subText(record, "domainName", "primaryLinkUrl");
    if (domain !== "") add("domain", domainHost(domain));
  }
  return keys;
}

function findDuplicates(store: TwentyStore, object: ObjectMetadata, body: unknown): ApiResponse {
  const input = (body ?? {}) as { data?: unknown; ids?: unknown };
  let probes: TwentyRecord[];
  if (Array.isArray(input.ids)) {
    probes = input.ids.map((id) => {
      if (!isUuid(id)) throw badRequest(`'${String(id)}' is not a valid UUID`);
      return store.findOne(object, id, 0);
    });
  } else if (Array.isArray(input.data)) {
    probes = input.data.map((item) => {
      if (item === null || typeof item !== "object") throw badRequest("Each duplicates input must be an object");
      // Normalise like a create would, without writing.
      return normalizeProbe(item as TwentyRecord);
    });
  } else {
    throw badRequest("The body must contain either 'data' or 'ids'");
  }
  const existing = store.records(object.namePlural).filter((record) => record.deletedAt === null);
  return ok({
    data: probes.map((probe) => {
      const keys = new Set(duplicateKeys(object, probe));
      const matches = existing.filter((record) => record.id !== probe.id && duplicateKeys(object, record).some((key) => keys.has(key)));
      return {
        [`${object.nameSingular}Duplicates`]: matches,
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
        totalCount: matches.length,
      };
    }),
  });
}

/** A probe is compared like a stored row: its primary email normalised as a create would (reference §2.5). */
function normalizeProbe(input: TwentyRecord): TwentyRecord {
  const emails = input.emails;
  if (emails === null || typeof emails !== "object") return input;
  const primaryEmail = (emails as Record<string, unknown>).primaryEmail;
  return typeof primaryEmail === "string" ? { ...input, emails: { ...emails, primaryEmail: normalizeEmail(primaryEmail) } } : input;
}
