namespace IncidentBot.Storage.Postgres;

/// <summary>The PostgreSQL schema, version by version; the same tables as SQLite in PostgreSQL's types.</summary>
internal static class PostgresMigrations
{
    /// <summary>Replicas starting together take this advisory lock, so one of them migrates.</summary>
    public const long AdvisoryLockKey = 0x1BC1_DE47;

    public static readonly string[] Versions =
    [
        """
        CREATE TABLE workspace_counters (
            platform TEXT NOT NULL, workspace_id TEXT NOT NULL, last_number INTEGER NOT NULL,
            PRIMARY KEY (platform, workspace_id));
        CREATE TABLE incidents (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            platform TEXT NOT NULL, workspace_id TEXT NOT NULL, number INTEGER NOT NULL,
            title TEXT NOT NULL, description TEXT NOT NULL, severity INTEGER NOT NULL, type INTEGER NOT NULL,
            state INTEGER NOT NULL, commander_id TEXT NOT NULL, commander_name TEXT NOT NULL,
            declared_by_id TEXT NOT NULL, declared_by_name TEXT NOT NULL, roles TEXT NOT NULL,
            declared_at BIGINT NOT NULL, acknowledged_at BIGINT, mitigated_at BIGINT, resolved_at BIGINT,
            last_status_update_at BIGINT NOT NULL, conversation_id TEXT, service_url TEXT, origin_conversation_id TEXT,
            version INTEGER NOT NULL,
            UNIQUE (platform, workspace_id, number));
        CREATE INDEX ix_incidents_conversation ON incidents (platform, conversation_id);
        CREATE TABLE timeline (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            incident_id BIGINT NOT NULL REFERENCES incidents (id),
            at BIGINT NOT NULL, kind INTEGER NOT NULL, actor_id TEXT NOT NULL, actor_name TEXT NOT NULL,
            text TEXT NOT NULL, source_ref TEXT, redacted INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX ix_timeline_incident ON timeline (incident_id, at, id);
        CREATE UNIQUE INDEX ux_timeline_source ON timeline (incident_id, source_ref) WHERE source_ref IS NOT NULL;
        CREATE TABLE outbox (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            incident_id BIGINT, platform TEXT NOT NULL, order_key TEXT NOT NULL, payload TEXT NOT NULL,
            created_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL,
            lease_until BIGINT, sent_at BIGINT, failed_at BIGINT, last_error TEXT);
        CREATE INDEX ix_outbox_order ON outbox (order_key, id) WHERE sent_at IS NULL AND failed_at IS NULL;
        CREATE TABLE inbound_events (event_id TEXT PRIMARY KEY, received_at BIGINT NOT NULL);
        CREATE TABLE reminders (incident_id BIGINT PRIMARY KEY, due_at BIGINT NOT NULL);
        CREATE INDEX ix_reminders_due ON reminders (due_at);
        CREATE TABLE anchors (
            incident_id BIGINT NOT NULL, anchor TEXT NOT NULL, message_ref TEXT NOT NULL,
            PRIMARY KEY (incident_id, anchor));
        """,
        """
        CREATE INDEX ix_incidents_number ON incidents (number);
        """,
        """
        CREATE INDEX ix_timeline_source_ref ON timeline (source_ref) WHERE source_ref IS NOT NULL;
        """,
        """
        ALTER TABLE workspace_counters ADD COLUMN last_follow_up INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incidents ADD COLUMN reviewed_at BIGINT;
        ALTER TABLE incidents ADD COLUMN reviewed_by_id TEXT;
        ALTER TABLE incidents ADD COLUMN reviewed_by_name TEXT;
        ALTER TABLE incidents ADD COLUMN closed_at BIGINT;
        ALTER TABLE incidents ADD COLUMN follow_ups TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE follow_up_nudges (
            incident_id BIGINT NOT NULL, number INTEGER NOT NULL, due_at BIGINT NOT NULL,
            PRIMARY KEY (incident_id, number));
        CREATE INDEX ix_follow_up_nudges_due ON follow_up_nudges (due_at);
        """,
        """
        CREATE TABLE sandbox_conversations (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, topic TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE TABLE sandbox_messages (
            message_ref TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, seq BIGINT NOT NULL UNIQUE, recipient_id TEXT,
            message TEXT NOT NULL, file TEXT, posted_at BIGINT NOT NULL, edited_at BIGINT);
        CREATE INDEX ix_sandbox_messages_conversation ON sandbox_messages (conversation_id, seq);
        CREATE TABLE sandbox_sequence (id INTEGER PRIMARY KEY, last_seq BIGINT NOT NULL);
        INSERT INTO sandbox_sequence (id, last_seq) VALUES (1, 0);
        """,
        """
        ALTER TABLE incidents ADD COLUMN is_drill INTEGER NOT NULL DEFAULT 0;
        """,
        """
        CREATE TABLE channel_archives (
            incident_id BIGINT PRIMARY KEY, platform TEXT NOT NULL, closed_at BIGINT NOT NULL,
            claimed_until BIGINT NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX ix_channel_archives_due ON channel_archives (platform, done, closed_at);
        """,
        """
        CREATE TABLE direct_conversations (
            platform TEXT NOT NULL, workspace_id TEXT NOT NULL, user_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL, service_url TEXT, seen_at BIGINT NOT NULL,
            PRIMARY KEY (platform, workspace_id, user_id));
        """,
    ];
}
