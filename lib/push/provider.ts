import type { pushNotifications } from "@/lib/db/schema";

export type PushNotification = typeof pushNotifications.$inferSelect;

/**
 * Where offline-push decisions go. The default provider's record is the
 * push_notifications row itself (shown in the admin console); a real one
 * (APNs, FCM, a vendor) sends here and retracts on recall.
 */
export interface PushProvider {
  readonly name: string;
  push(notification: PushNotification): Promise<void>;
  retract(notification: PushNotification): Promise<void>;
}

export const databasePushProvider: PushProvider = {
  name: "database",
  async push() {},
  async retract() {},
};

export function pushProvider(): PushProvider {
  return databasePushProvider;
}
