DROP INDEX "messages_client_msg_no_uq";--> statement-breakpoint
CREATE INDEX "messages_im_client_msg_no_idx" ON "messages" USING btree ("channel_id","from_uid","client_msg_no") WHERE "messages"."source" = 'wukongim';--> statement-breakpoint
CREATE UNIQUE INDEX "messages_client_msg_no_uq" ON "messages" USING btree ("channel_id","from_uid","client_msg_no") WHERE "messages"."source" = 'local';