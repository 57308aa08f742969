import { ChatApp } from "@/components/chat/chat-app";
import { requirePageActor } from "@/lib/auth/current";

/** A conversation by address: /chat/{channel_id} opens it (a reload or a shared link lands there). */
export default async function ChannelPage({ params }: { params: Promise<{ channel_id: string }> }) {
  const actor = await requirePageActor();
  const { channel_id } = await params;
  return <ChatApp me={{ uid: actor.uid, name: actor.name, role: actor.role }} initialChannelId={decodeURIComponent(channel_id)} />;
}
