// Preloaded (--require) into every worker before anything else runs: the
// primary balances connections over every live worker, a replacement still
// starting included, and a message nobody listens for is dropped with its
// connection. Until the worker's server exists (lib/server/workers.ts takes
// them over), what the primary hands it waits here, in order.
const held = [];
const hold = (msg, handle) => {
  if (typeof msg?.type === "string" && msg.type.startsWith("sticky:")) held.push([msg, handle]);
};
process.on("message", hold);
globalThis.__imdeskHeldConnections = {
  release() {
    process.off("message", hold);
    return held.splice(0);
  },
};
