import { expect, type Locator, type Page } from "@playwright/test";

// Page helpers for /chat, built only on the documented hooks (docs/testing.md,
// "Hooks"): data-testid / data-* attributes and accessible names. A test that
// uses these never matches text like "Read by 10" for "Read by 1", or a
// conversation preview for a message's Recall button.

/** A count hook as a number; a missing hook is an error, never a silent 0. */
function count(value: string | null, hook: string): number {
  if (value === null || !/^[0-9]+$/.test(value))
    throw new Error(`imdesk/playwright: ${hook} is ${value === null ? "missing" : `"${value}"`}`);
  return Number(value);
}

/** One message on screen. */
export class ChatMessage {
  constructor(
    readonly page: Page,
    /** The message's list item: `[data-testid="message"]`. */
    readonly locator: Locator,
  ) {}

  /** The receipt button under one's own message in a group with receipts. */
  get receipt() {
    return this.locator.getByTestId("receipt-count");
  }

  /** The message's own Recall action, named exactly "Recall" (never the dialog's "Confirm recall", never a preview: docs/api.md § Hooks). */
  get recallButton() {
    return this.locator.getByRole("button", { name: "Recall", exact: true });
  }

  /** The message id (decimal string) once the server confirmed it. */
  async id(): Promise<string> {
    await expect(this.locator).toHaveAttribute("data-message-id", /^[0-9]+$/);
    return (await this.locator.getAttribute("data-message-id"))!;
  }

  /** How many have read it now (`data-read-count`). Poll it: `await expect.poll(() => m.readCount()).toBe(1)`. */
  async readCount(): Promise<number> {
    return count(await this.receipt.getAttribute("data-read-count"), "data-read-count");
  }

  /** How many have not read it yet (`data-unread-count`). */
  async unreadCount(): Promise<number> {
    return count(await this.receipt.getAttribute("data-unread-count"), "data-unread-count");
  }

  /** Whether it shows as recalled (`data-revoked="true"`). */
  async isRecalled(): Promise<boolean> {
    return (await this.locator.getAttribute("data-revoked")) === "true";
  }

  /** Recalls it as a person does: its Recall button, then the dialog's confirm; waits until it shows as recalled and answers it by id. */
  async recall() {
    // Found by text, it would vanish with its text: follow it by id.
    const byId = this.page.locator(`[data-testid="message"][data-message-id="${await this.id()}"]`);
    await this.recallButton.click();
    const dialog = this.page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Confirm recall" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(byId).toHaveAttribute("data-revoked", "true");
    return new ChatMessage(this.page, byId);
  }

  /** Opens "who read it" (the receipts dialog). */
  async openReceipts() {
    await this.receipt.click();
    return this.page.getByRole("dialog");
  }
}

/** The chat screen of one signed-in page. */
export class Chat {
  constructor(readonly page: Page) {}

  /** A conversation in the sidebar. */
  channel(channelId: string) {
    return this.page.locator(`[data-testid="channel"][data-channel-id="${channelId}"]`);
  }

  /** A conversation's unread badge in the sidebar (absent when nothing is unread). */
  unreadBadge(channelId: string) {
    return this.channel(channelId).getByTestId("unread-badge");
  }

  /** A conversation's unread count as a number (`data-unread-count` on its sidebar row; 0 when read). */
  async unreadCount(channelId: string): Promise<number> {
    return count(await this.channel(channelId).getAttribute("data-unread-count"), "data-unread-count");
  }

  /** The message box of the open conversation. */
  get composer() {
    return this.page.getByLabel("Message");
  }

  /** Opens a conversation from the sidebar and waits for its message box. */
  async open(channelId: string) {
    await this.channel(channelId).click();
    await expect(this.composer).toBeVisible();
    return this;
  }

  /** Sends text in the open conversation; answers the message (followed by id) once the server confirmed it. */
  async send(text: string) {
    await this.composer.fill(text);
    await this.composer.press("Enter");
    return this.messageById(await this.message(text).id());
  }

  /** The last message on screen containing text. */
  message(text: string) {
    return new ChatMessage(this.page, this.page.getByTestId("message").filter({ hasText: text }).last());
  }

  /** A message by its id. */
  messageById(id: string) {
    return new ChatMessage(this.page, this.page.locator(`[data-testid="message"][data-message-id="${id}"]`));
  }

  /** Every message on screen. */
  get messages() {
    return this.page.getByTestId("message");
  }
}
