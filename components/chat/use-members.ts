"use client";

import { useQuery } from "@tanstack/react-query";
import { api, call } from "@/lib/client/api";

export const membersKey = (channelId: string) => ["members", channelId] as const;

/** A channel's members with what the viewer may do with each (the server's answer; one cache entry per channel). */
export function useMembers(channelId: string) {
  return useQuery({
    queryKey: membersKey(channelId),
    queryFn: () => call(api.channels[":channel_id"].members.$get({ param: { channel_id: channelId } })),
  });
}
