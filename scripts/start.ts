import { buildIfNeeded } from "./build-if-needed";

// `npm start`: build once when no current production build exists, then serve it.
buildIfNeeded();
Object.assign(process.env, { NODE_ENV: "production" });
await import("../server");
