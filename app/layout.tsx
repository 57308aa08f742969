import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { WithTestModeRibbon } from "@/components/test-mode-ribbon";
import { testModeOn } from "@/lib/testing/mode";
import "./globals.css";

export const metadata: Metadata = {
  title: "imdesk",
  description: "Message revoke, group read receipts and the WuKongIM webhook — demo chat and admin console.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Test mode is the running server's setting, not the build's: read it per request.
  await connection();
  return (
    <html lang="en">
      <body className="h-full bg-slate-50 text-slate-900 antialiased">
        {testModeOn() ? <WithTestModeRibbon>{children}</WithTestModeRibbon> : children}
      </body>
    </html>
  );
}
