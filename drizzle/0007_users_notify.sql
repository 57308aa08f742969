-- Every change to an account tells each imdesk instance to drop its cached copy
-- of the row (lib/auth/user-cache.ts): imdesk's own writes and direct SQL alike.
-- The payload is the uid ('' after a TRUNCATE: drop everything). Rows are not
-- touched: existing accounts are read afresh on their next request.
CREATE FUNCTION "imdesk_users_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM pg_notify('imdesk_users', '');
		RETURN NULL;
	END IF;
	PERFORM pg_notify('imdesk_users', OLD.uid);
	IF TG_OP = 'UPDATE' AND NEW.uid IS DISTINCT FROM OLD.uid THEN
		PERFORM pg_notify('imdesk_users', NEW.uid);
	END IF;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "users_changed" AFTER UPDATE OR DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION "imdesk_users_changed"();--> statement-breakpoint
CREATE TRIGGER "users_truncated" AFTER TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION "imdesk_users_changed"();
