"use client";

import { signOut } from "next-auth/react";
import { useEffect, useRef } from "react";
import type { SessionEnd } from "@/lib/client/session-end";

const TEXT: Record<SessionEnd, { title: string; detail: string }> = {
  account_disabled: { title: "Your account was disabled by an administrator", detail: "You have been signed out." },
  account_removed: { title: "Your account no longer exists", detail: "You have been signed out." },
  signed_out: { title: "Your session has ended", detail: "Sign in again to go on chatting." },
};

/** Replaces the chat or the admin console once the server will not take this tab back: says why, and signs the browser out. */
export function SessionEnded({ reason }: { reason: SessionEnd }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    // The server already refuses this session; clearing the cookie makes a reload land on sign-in.
    // Auth.js's own endpoint, not a server action: an action would re-render the page away from this notice.
    void signOut({ redirect: false }).catch(() => {});
  }, []);
  const { title, detail } = TEXT[reason];
  return (
    <div role="alert" data-testid="session-ended" className="m-auto max-w-md p-8 text-center">
      <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">
        {title}
      </h2>
      <p className="mt-2 text-slate-700">{detail}</p>
      <a href="/login" className="mt-4 inline-block rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700">
        Go to sign-in
      </a>
    </div>
  );
}
