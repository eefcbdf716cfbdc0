// Loaded with --require into the Prisma CLI only (lib/database-setup.ts): its Wasm schema engine
// leaves a 10 s timer running after the command is done, and a Node process waits for its
// timers. Unref'd timers still fire while the process has other work.
for (const name of ["setTimeout", "setInterval"]) {
  const original = globalThis[name];
  globalThis[name] = (...args) => {
    const timer = original(...args);
    if (timer && typeof timer.unref === "function") timer.unref();
    return timer;
  };
}
