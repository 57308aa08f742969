import type { ReactNode } from "react";

/**
 * The "test mode" strip on every page while IMDESK_TEST_MODE=1 (docs/api.md §
 * Test mode): in the page's flow above everything, so it never covers a
 * control, even on a phone; the page fills what it leaves. Amber tints follow
 * the colour scheme (globals.css).
 */
export function WithTestModeRibbon({ children }: { children: ReactNode }) {
  return (
    <div className="flex h-full flex-col">
      <div
        role="note"
        aria-label="Test mode"
        data-testid="test-mode-ribbon"
        className="shrink-0 border-b border-amber-800 bg-amber-50 px-2 py-0.5 text-center text-xs font-semibold uppercase tracking-wide text-amber-800"
      >
        test mode — data here is reset by tests
      </div>
      <div className="min-h-0 flex-1">{children}</div>
    </div>
  );
}
