// What every registered connector declares about itself (connectors/types.ts ConnectorManifest,
// connectors/README.md), checked for each one, so a new system's declarations are held to the
// same rules the day it is added to connectors/registry.ts.
import { describe, expect, it } from "vitest";
import { connectorCatalog, connectors } from "@/connectors/registry";
import { FIELD_ROLES, OBJECT_ROLES, canBeTarget } from "@/connectors/types";

const duplicates = (values: readonly unknown[]) => values.filter((value, index) => values.indexOf(value) !== index);

describe.each(Object.values(connectors).map((connector) => [connector.manifest.id, connector] as const))("the %s connector's declarations", (id, connector) => {
  const { manifest } = connector;

  it("has its registry key as id, a name and a kind", () => {
    expect(manifest.id).toBe(id);
    expect(manifest.name.trim()).not.toBe("");
    expect(["helpdesk", "crm"]).toContain(manifest.kind);
  });

  it("gives its objects and their main fields roles from the contract's lists, each field role once per object", () => {
    for (const role of Object.values(manifest.objectRoles)) expect(OBJECT_ROLES).toContain(role);
    for (const [objectKey, fields] of Object.entries(manifest.fieldRoles ?? {})) {
      expect(Object.keys(manifest.objectRoles)).toContain(objectKey);
      for (const role of Object.values(fields)) expect(FIELD_ROLES).toContain(role);
      expect(duplicates(Object.values(fields))).toEqual([]);
    }
  });

  it("declares each fix once, with the words its consent dialog shows and a place in the order", () => {
    expect(duplicates(manifest.fixes.map((fix) => fix.id))).toEqual([]);
    expect(duplicates(manifest.fixes.map((fix) => fix.order))).toEqual([]);
    for (const fix of manifest.fixes) {
      expect(fix.id).toMatch(/^[a-z0-9-]+$/);
      expect(fix.label.trim()).not.toBe("");
      expect(fix.effect.trim()).not.toBe("");
    }
  });

  it("describes the objects its fixes create as writable objects with a role", () => {
    for (const template of manifest.objectTemplates) {
      expect(manifest.objectRoles[template.key]).toBeDefined();
      expect(template.canWrite).toBe(true);
    }
  });

  it("links records only to pages on the connection's own origin", () => {
    const base = new URL("https://system.example.com/api");
    const origins = manifest.writes
      .map((objectType) => connector.recordUrl?.(base, objectType, "id-1") ?? null)
      .filter((url) => url !== null)
      .map((url) => new URL(url).origin);
    expect(origins).toEqual(origins.map(() => base.origin));
  });
});

const sourcesOnly = Object.values(connectors).filter((connector) => !canBeTarget(connector.manifest));

describe.each(sourcesOnly.map((connector) => [connector.manifest.id, connector.manifest] as const))("the %s source (it writes nothing)", (_id, manifest) => {
  it("claims no target capability: no fixes, no field creation, no objects to create, no source id field", () => {
    expect({
      fixes: manifest.fixes,
      createsFields: manifest.createsFields,
      templates: manifest.objectTemplates,
      sourceIdField: manifest.sourceIdField,
    }).toEqual({
      fixes: [],
      createsFields: false,
      templates: [],
      sourceIdField: undefined,
    });
  });
});

describe("the catalog the browser gets", () => {
  it("holds every connector's declarations as plain data (no function survives structuredClone)", () => {
    const catalog = connectorCatalog();
    expect(catalog.map((entry) => entry.id)).toEqual(Object.keys(connectors));
    for (const entry of catalog) expect(entry).not.toHaveProperty("credentialSchema");
  });
});
