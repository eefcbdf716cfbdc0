// The migration engine (see engine.ts); the plan it runs is lib/plan, its transforms live next to it.
export * from "./engine";
