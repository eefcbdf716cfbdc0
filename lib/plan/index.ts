// The migration plan: which source objects go into which target objects, field by field, how
// users map, which records are left out, and the run options. Stored as JSON on Migration.plan
// and validated with zod on every read, so a hand-edited or outdated plan fails with a clear
// message instead of half-running. One file per concern; import from "@/lib/plan".
export * from "./schema";
export * from "./parse";
export * from "./dependency-order";
export * from "./filters";
export * from "./patches";
export * from "./checks";
export * from "./prerequisites";
export * from "./default-pairs";
export * from "./default-mappings";
export * from "./default-children";
export * from "./match-users";
export * from "./default-plan";
