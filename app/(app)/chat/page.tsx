import { ChatApp } from "@/components/chat/chat-app";
import { requirePageActor } from "@/lib/auth/current";

export default async function ChatPage() {
  const actor = await requirePageActor();
  return <ChatApp me={{ uid: actor.uid, name: actor.name, role: actor.role }} />;
}
