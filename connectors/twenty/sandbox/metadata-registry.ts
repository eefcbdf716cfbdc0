// The workspace's objects and fields, standard and custom, as /rest/metadata serves them
// (reference §3.1). Records refer to fields by name; this registry says which names exist.
import {
  STANDARD_OBJECT_SPECS,
  STANDARD_RELATION_SPECS,
  SYSTEM_FIELD_SPECS,
  isRelationField,
  joinColumnOf,
  type FieldMetadata,
  type FieldSpec,
  type ObjectMetadata,
  type ObjectSpec,
  type RelationSettings,
  type RelationSpec,
} from "./objects";
import { typeDefaultValue } from "./values";

export type NewFieldInput = Omit<FieldMetadata, "id" | "objectMetadataId" | "createdAt" | "updatedAt">;

export class MetadataRegistry {
  private readonly objectsById = new Map<string, ObjectMetadata>();
  private readonly fieldsById = new Map<string, FieldMetadata>();

  constructor(
    private readonly nextId: () => string,
    private readonly now: () => string,
  ) {}

  /** A registry holding Twenty's standard objects (reference §4). */
  static withStandardObjects(nextId: () => string, now: () => string): MetadataRegistry {
    const registry = new MetadataRegistry(nextId, now);
    for (const spec of STANDARD_OBJECT_SPECS) registry.addObjectFromSpec(spec, false);
    for (const relation of STANDARD_RELATION_SPECS) registry.addRelation(relation, false);
    return registry;
  }

  listObjects(): ObjectMetadata[] {
    return [...this.objectsById.values()];
  }

  listFields(): FieldMetadata[] {
    return [...this.fieldsById.values()];
  }

  object(id: string): ObjectMetadata | undefined {
    return this.objectsById.get(id);
  }

  field(id: string): FieldMetadata | undefined {
    return this.fieldsById.get(id);
  }

  /** Only active objects are reachable through /rest/{namePlural}. */
  activeObjectByPlural(namePlural: string): ObjectMetadata | undefined {
    return this.listObjects().find((object) => object.isActive && object.namePlural === namePlural);
  }

  objectByName(name: string): ObjectMetadata | undefined {
    return this.listObjects().find((object) => object.nameSingular === name || object.namePlural === name);
  }

  fieldsOf(objectId: string): FieldMetadata[] {
    return this.listFields().filter((field) => field.objectMetadataId === objectId);
  }

  activeFieldsOf(objectId: string): FieldMetadata[] {
    return this.fieldsOf(objectId).filter((field) => field.isActive);
  }

  fieldByName(objectId: string, name: string): FieldMetadata | undefined {
    return this.fieldsOf(objectId).find((field) => field.name === name);
  }

  /** Every name a record input or filter may use on this object: field names and join columns. */
  isNameTaken(objectId: string, name: string): boolean {
    return this.fieldsOf(objectId).some((field) => field.name === name || joinColumnOf(field) === name);
  }

  addObjectFromSpec(spec: Omit<ObjectSpec, "fields"> & { fields: FieldSpec[] }, isCustom: boolean): ObjectMetadata {
    const timestamp = this.now();
    const object: ObjectMetadata = {
      id: this.nextId(),
      nameSingular: spec.nameSingular,
      namePlural: spec.namePlural,
      labelSingular: spec.labelSingular,
      labelPlural: spec.labelPlural,
      description: spec.description || null,
      icon: spec.icon || null,
      isCustom,
      isActive: true,
      isSystem: spec.isSystem,
      createdAt: timestamp,
      updatedAt: timestamp,
      labelIdentifierFieldMetadataId: null,
      imageIdentifierFieldMetadataId: null,
    };
    this.objectsById.set(object.id, object);
    for (const fieldSpec of SYSTEM_FIELD_SPECS) this.addFieldFromSpec(object.id, fieldSpec, false);
    for (const fieldSpec of spec.fields) this.addFieldFromSpec(object.id, fieldSpec, isCustom);
    object.labelIdentifierFieldMetadataId = this.fieldByName(object.id, spec.labelIdentifier)?.id ?? null;
    return object;
  }

  addFieldFromSpec(objectId: string, spec: FieldSpec, isCustom: boolean): FieldMetadata {
    return this.addField(objectId, {
      type: spec.type,
      name: spec.name,
      label: spec.label,
      description: spec.description ?? null,
      icon: spec.icon ?? null,
      isCustom,
      isActive: true,
      isSystem: spec.isSystem ?? false,
      isNullable: spec.isNullable ?? true,
      isUnique: spec.isUnique ?? false,
      defaultValue: spec.defaultValue === undefined ? typeDefaultValue(spec.type) : spec.defaultValue,
      options: spec.options ? spec.options.map(([value, label, color], position) => ({ id: this.nextId(), value, label, color, position })) : null,
      settings: null,
      isLabelSyncedWithName: false,
      relationTarget: null,
    });
  }

  addField(objectId: string, input: NewFieldInput): FieldMetadata {
    const timestamp = this.now();
    const field: FieldMetadata = { ...input, id: this.nextId(), objectMetadataId: objectId, createdAt: timestamp, updatedAt: timestamp };
    this.fieldsById.set(field.id, field);
    return field;
  }

  /** Adds both sides of a relation: MANY_TO_ONE on the source (join column `<field>Id`), ONE_TO_MANY on the target. */
  addRelation(spec: RelationSpec, isCustom: boolean): { source: FieldMetadata; target: FieldMetadata } {
    const sourceObject = this.objectByName(spec.source.object);
    const targetObject = this.objectByName(spec.target.object);
    if (!sourceObject || !targetObject) throw new Error(`Relation between unknown objects ${spec.source.object} and ${spec.target.object}`);
    const base = {
      description: null,
      icon: null,
      isCustom,
      isActive: true,
      isSystem: false,
      isUnique: false,
      defaultValue: null,
      options: null,
      isLabelSyncedWithName: false,
      relationTarget: null,
    };
    const sourceSettings: RelationSettings = { relationType: "MANY_TO_ONE", joinColumnName: `${spec.source.field}Id`, onDelete: spec.onDelete };
    const source = this.addField(sourceObject.id, {
      ...base,
      type: spec.type,
      name: spec.source.field,
      label: spec.source.label,
      isNullable: true,
      settings: sourceSettings,
    });
    const targetSettings: RelationSettings = { relationType: "ONE_TO_MANY" };
    const target = this.addField(targetObject.id, {
      ...base,
      type: "RELATION",
      name: spec.target.field,
      label: spec.target.label,
      isNullable: true,
      settings: targetSettings,
    });
    source.relationTarget = { objectMetadataId: targetObject.id, fieldMetadataId: target.id };
    target.relationTarget = { objectMetadataId: sourceObject.id, fieldMetadataId: source.id };
    return { source, target };
  }

  /** Removes a field and, for relations, its other side. */
  removeField(fieldId: string): FieldMetadata[] {
    const field = this.fieldsById.get(fieldId);
    if (!field) return [];
    const removed = [field];
    this.fieldsById.delete(fieldId);
    if (field.relationTarget) {
      const other = this.fieldsById.get(field.relationTarget.fieldMetadataId);
      if (other) {
        this.fieldsById.delete(other.id);
        removed.push(other);
      }
    }
    return removed;
  }

  /** Removes an object, its fields and every relation field pointing at it. */
  removeObject(objectId: string): FieldMetadata[] {
    const removed: FieldMetadata[] = [];
    for (const field of this.fieldsOf(objectId)) removed.push(...this.removeField(field.id));
    for (const field of this.listFields()) {
      if (field.relationTarget?.objectMetadataId === objectId) removed.push(...this.removeField(field.id));
    }
    this.objectsById.delete(objectId);
    return removed;
  }

  touch(item: { updatedAt: string }) {
    item.updatedAt = this.now();
  }

  // -------------------------------------------------------------------------------------------
  // Rendering (reference §3.1 object and field items)
  // -------------------------------------------------------------------------------------------

  renderField(field: FieldMetadata): Record<string, unknown> {
    const { relationTarget: _relationTarget, id, ...rest } = field;
    return { id, ...rest, relation: this.renderRelation(field) };
  }

  renderObject(object: ObjectMetadata): Record<string, unknown> {
    return { ...object, fields: this.fieldsOf(object.id).map((field) => this.renderField(field)) };
  }

  private renderRelation(field: FieldMetadata): Record<string, unknown> | null {
    if (!isRelationField(field) || !field.relationTarget) return null;
    const sourceObject = this.objectsById.get(field.objectMetadataId);
    const targetObject = this.objectsById.get(field.relationTarget.objectMetadataId);
    const targetField = this.fieldsById.get(field.relationTarget.fieldMetadataId);
    if (!sourceObject || !targetObject || !targetField) return null;
    const objectRef = (object: ObjectMetadata) => ({ id: object.id, nameSingular: object.nameSingular, namePlural: object.namePlural });
    return {
      type: (field.settings as RelationSettings | null)?.relationType ?? "MANY_TO_ONE",
      sourceObjectMetadata: objectRef(sourceObject),
      sourceFieldMetadata: { id: field.id, name: field.name },
      targetObjectMetadata: objectRef(targetObject),
      targetFieldMetadata: { id: targetField.id, name: targetField.name },
    };
  }
}
