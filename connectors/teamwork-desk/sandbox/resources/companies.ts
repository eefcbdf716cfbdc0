// Companies (reference §5.5): wrapped create/update; `domains` are refs to `domains` objects
// `{name}` — posted as names or `{"name": …}` objects (the write shape is [U], both accepted).
import { validation } from "../errors";
import type { ApiRequest, ApiResponse } from "../http-types";
import { noContent } from "../http-types";
import { includedOf, isObject, readString, unwrap, type InputObject } from "../input";
import type { CompanyRow } from "../model";
import { listResponse, singleResponse } from "../query";
import type { DeskStore } from "../store";
import { VIEWS, companyFilters } from "../views";
import { CREATED, crud, found } from "./common";

const view = VIEWS.companies;
const TEXT_FIELDS = ["name", "description", "details", "industry", "website", "email", "permission", "kind", "note"] as const;

function readDomainNames(input: InputObject, included: InputObject): string[] | undefined {
  const raw = input.domains ?? included.domains;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw validation("must be an array", "domains");
  return raw.map((entry, index) => {
    const name = typeof entry === "string" ? entry : isObject(entry) && typeof entry.name === "string" ? entry.name : null;
    if (name === null || name.trim() === "") throw validation("must be a domain name or an object with a name", `domains[${index}]`);
    return name.trim();
  });
}

function applyFields(company: CompanyRow, input: InputObject) {
  for (const name of TEXT_FIELDS) {
    const value = readString(input, name);
    if (value !== undefined) company[name] = value;
  }
}

export function handleCompanies(store: DeskStore, request: ApiRequest, rest: string[]): ApiResponse {
  return crud(request, rest, {
    list: () => listResponse(store, view, request.params, { filters: companyFilters(store) }),
    create: () => {
      const input = unwrap(request.body, "company");
      const name = readString(input, "name", { required: true })!;
      const domains = readDomainNames(input, includedOf(request.body)) ?? [];
      const company = store.createCompany({ name, domains });
      applyFields(company, input);
      return singleResponse(store, view, company, request.params, CREATED);
    },
    get: (id) => singleResponse(store, view, found(store.companies, id, "Company"), request.params),
    update: (id) => {
      const company = found(store.companies, id, "Company");
      const input = unwrap(request.body, "company");
      if (input.name !== undefined) readString(input, "name", { required: true });
      const domains = readDomainNames(input, includedOf(request.body));
      applyFields(company, input);
      if (domains) {
        for (const domainId of company.domainIds) {
          const domain = store.domains.get(domainId);
          if (domain) store.softDelete(domain);
        }
        company.domainIds = [];
        for (const name of domains) store.addDomain(company, name);
      }
      store.touch(company);
      return singleResponse(store, view, company, request.params);
    },
    remove: (id) => {
      const company = found(store.companies, id, "Company");
      store.softDelete(company);
      for (const customer of store.customers.all()) customer.companyIds = customer.companyIds.filter((companyId) => companyId !== id);
      return noContent();
    },
  });
}
