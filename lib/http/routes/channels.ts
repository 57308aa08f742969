import { Hono } from "hono";
import { z } from "zod";
import {
  addMembers,
  addMembersSchema,
  channelSettingsSchema,
  createGroup,
  createGroupSchema,
  directChannelSchema,
  getMembers,
  listChannels,
  memberRoleSchema,
  openDirect,
  removeMember,
  renameChannelSchema,
  renameGroup,
  setRole,
  updateChannelSettings,
} from "@/lib/chat/channels";
import {
  changesPageSchema,
  createdGroupSchema,
  directChannelAnswerSchema,
  memberRemovedSchema,
  memberRoleAnswerSchema,
  membersAddedSchema,
  membersAnswerSchema,
  renamedSchema,
  settingsAnswerSchema,
  wireChannelSchema,
} from "@/lib/contracts/chat";
import { changesQuerySchema, getChanges } from "@/lib/revoke/changes";
import { actorOf, type HttpEnv, operation } from "../operation";
import { channelParams, memberParams } from "../params";

/** Channels, direct messages, settings, the change feed and members (docs/api.md § Channels). */
export const channelRoutes = new Hono<HttpEnv>()
  .get(
    "/channels",
    operation({
      access: "user",
      summary: "My channels",
      tags: ["Channels"],
      responses: {
        200: {
          description: "Every channel I belong to, newest activity first.",
          schema: z.object({ channels: z.array(wireChannelSchema) }),
        },
      },
    }),
    async (c) => c.json(await listChannels(c.var.ctx, { actor: actorOf(c) }), 200),
  )
  .post(
    "/channels",
    operation({
      access: "user",
      body: createGroupSchema,
      requestExample: { name: "Launch", members: ["bob", "carol"] },
      summary: "Create a group",
      tags: ["Channels"],
      responses: { 201: { description: "The new group; I am its owner.", schema: createdGroupSchema } },
      errors: [404],
    }),
    async (c) => c.json(await createGroup(c.var.ctx, { actor: actorOf(c), input: c.req.valid("json") }), 201),
  )
  .post(
    "/channels/direct",
    operation({
      access: "user",
      body: directChannelSchema,
      summary: "Open a direct conversation",
      description:
        "Creates it on first use (201); 200 when it existed. 409 `conflict` when a channel under the pair's id is not their direct conversation.",
      tags: ["Channels"],
      responses: {
        200: { description: "The existing conversation.", schema: directChannelAnswerSchema },
        201: { description: "Created.", schema: directChannelAnswerSchema },
      },
      errors: [404, 409],
    }),
    async (c) => {
      const { created, ...channel } = await openDirect(c.var.ctx, { actor: actorOf(c), uid: c.req.valid("json").uid });
      return created ? c.json(channel, 201) : c.json(channel, 200);
    },
  )
  .patch(
    "/channels/:channel_id",
    operation({
      access: "user",
      params: channelParams,
      body: renameChannelSchema,
      summary: "Rename a group",
      description: "Owner, channel admins or system admins; never a direct conversation (409 `direct_channel_fixed`).",
      tags: ["Channels"],
      responses: { 200: { description: "Renamed.", schema: renamedSchema } },
      errors: [404, 409],
    }),
    async (c) =>
      c.json(
        await renameGroup(c.var.ctx, { actor: actorOf(c), channelId: c.req.valid("param").channel_id, name: c.req.valid("json").name }),
        200,
      ),
  )
  .patch(
    "/channels/:channel_id/settings",
    operation({
      access: "user",
      params: channelParams,
      body: channelSettingsSchema,
      summary: "Change a group's settings",
      tags: ["Channels"],
      responses: { 200: { description: "The settings now.", schema: settingsAnswerSchema } },
      errors: [404],
    }),
    async (c) =>
      c.json(
        await updateChannelSettings(c.var.ctx, {
          actor: actorOf(c),
          channelId: c.req.valid("param").channel_id,
          input: c.req.valid("json"),
        }),
        200,
      ),
  )
  .get(
    "/channels/:channel_id/changes",
    operation({
      access: "user",
      params: channelParams,
      query: changesQuerySchema,
      summary: "What changed since a version",
      description: "The change feed a reconnecting device reads: revokes after `since`, and my read cursor now.",
      tags: ["Channels"],
      responses: { 200: { description: "Changes in version order.", schema: changesPageSchema } },
      errors: [404],
    }),
    async (c) =>
      c.json(
        await getChanges(c.var.ctx, { actor: actorOf(c), channelId: c.req.valid("param").channel_id, query: c.req.valid("query") }),
        200,
      ),
  )
  .get(
    "/channels/:channel_id/members",
    operation({
      access: "user",
      params: channelParams,
      summary: "A channel's members",
      tags: ["Members"],
      responses: {
        200: {
          description:
            "Members with their roles; `last_read_seq` on the caller's own entry, on everyone's for the owner, channel admins and system admins; `can_*`: what the caller may do, by the mutating routes' own rules.",
          schema: membersAnswerSchema,
        },
      },
      errors: [404],
    }),
    async (c) => c.json(await getMembers(c.var.ctx, { actor: actorOf(c), channelId: c.req.valid("param").channel_id }), 200),
  )
  .post(
    "/channels/:channel_id/members",
    operation({
      access: "user",
      params: channelParams,
      body: addMembersSchema,
      maxBodyBytes: 1024 * 1024,
      summary: "Add members",
      description: "Owner, channel admins or system admins; never to a direct conversation (409 `direct_channel_fixed`).",
      tags: ["Members"],
      responses: { 200: { description: "Who was added.", schema: membersAddedSchema } },
      errors: [404, 409],
    }),
    async (c) =>
      c.json(
        await addMembers(c.var.ctx, { actor: actorOf(c), channelId: c.req.valid("param").channel_id, input: c.req.valid("json") }),
        200,
      ),
  )
  .delete(
    "/channels/:channel_id/members/:uid",
    operation({
      access: "user",
      params: memberParams,
      summary: "Remove a member (or leave)",
      description:
        "Nobody removes the owner (403), only the owner removes admins, and the owner cannot leave (409 `conflict`); a direct conversation keeps its two people (409 `direct_channel_fixed`).",
      tags: ["Members"],
      responses: { 200: { description: "Removed.", schema: memberRemovedSchema } },
      errors: [404, 409],
    }),
    async (c) => {
      const { channel_id, uid } = c.req.valid("param");
      return c.json(await removeMember(c.var.ctx, { actor: actorOf(c), channelId: channel_id, uid }), 200);
    },
  )
  .patch(
    "/channels/:channel_id/members/:uid",
    operation({
      access: "user",
      params: memberParams,
      body: memberRoleSchema,
      summary: "Promote or demote a member",
      description:
        '`{"role":"admin"|"member"}`: the owner promotes or demotes; never in a direct conversation (409 `direct_channel_fixed`).',
      tags: ["Members"],
      responses: { 200: { description: "The member's role now.", schema: memberRoleAnswerSchema } },
      errors: [404, 409],
    }),
    async (c) => {
      const { channel_id, uid } = c.req.valid("param");
      return c.json(await setRole(c.var.ctx, { actor: actorOf(c), channelId: channel_id, uid, role: c.req.valid("json").role }), 200);
    },
  );
