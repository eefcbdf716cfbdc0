// The migration engine (see engine.ts); plan, default plan and transforms live next to it.
export * from "./engine";
