-- oauth2-kit storage schema for MySQL 8 / MariaDB 10.5+.
--
-- The same tables, columns, keys, indexes and foreign keys as the PostgreSQL migration generated
-- from prisma/oauth.prisma (prisma/migrations/*/migration.sql), so that OAuthSqlProvider reads and
-- writes both identically. Idempotent: every statement is CREATE ... IF NOT EXISTS.
--
-- Choices that differ from PostgreSQL only in spelling:
-- - TIMESTAMPTZ(3) becomes DATETIME(3), which has no time zone: the provider always writes and
--   reads UTC wall-clock values itself, so the server and session time zones do not matter.
-- - Text is utf8mb4 with a binary collation, so that keys compare exactly and case-sensitively as
--   they do in PostgreSQL (a client id or username differing only in case is a different key).
-- - SHA-256 hex digests are ASCII with a binary collation: half the index size of utf8mb4.
-- - Foreign keys are declared inline (MySQL has no ADD CONSTRAINT IF NOT EXISTS), with the
--   constraint names of the PostgreSQL migration.
--
-- Statements are separated by semicolons at the end of a line and comments are whole lines, so
-- that a plain split runs them one by one (drivers run one statement per query by default).

CREATE TABLE IF NOT EXISTS oauth_clients (
  id VARCHAR(128) NOT NULL,
  name VARCHAR(255) NOT NULL,
  secret_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  access_token_lifetime INT NULL,
  refresh_token_lifetime INT NULL,
  authorization_code_lifetime INT NULL,
  require_pkce BOOLEAN NOT NULL DEFAULT TRUE,
  allow_plain_pkce BOOLEAN NOT NULL DEFAULT FALSE,
  default_scope VARCHAR(4000) NULL,
  allow_introspection BOOLEAN NOT NULL DEFAULT FALSE,
  post_logout_redirect_uris TEXT NULL,
  id_token_signed_response_alg VARCHAR(16) NULL,
  subject_type VARCHAR(16) NOT NULL DEFAULT 'public',
  sector_identifier VARCHAR(255) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_clients_pkey PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_client_grants (
  client_id VARCHAR(128) NOT NULL,
  grant_type VARCHAR(64) NOT NULL,
  CONSTRAINT oauth_client_grants_pkey PRIMARY KEY (client_id, grant_type),
  CONSTRAINT oauth_client_grants_client_id_fkey FOREIGN KEY (client_id)
    REFERENCES oauth_clients (id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_client_redirect_uris (
  client_id VARCHAR(128) NOT NULL,
  position INT NOT NULL,
  redirect_uri VARCHAR(2000) NOT NULL,
  CONSTRAINT oauth_client_redirect_uris_pkey PRIMARY KEY (client_id, position),
  CONSTRAINT oauth_client_redirect_uris_client_id_fkey FOREIGN KEY (client_id)
    REFERENCES oauth_clients (id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_scopes (
  name VARCHAR(128) NOT NULL,
  description VARCHAR(1000) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_scopes_pkey PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_client_scopes (
  client_id VARCHAR(128) NOT NULL,
  scope VARCHAR(128) NOT NULL,
  CONSTRAINT oauth_client_scopes_pkey PRIMARY KEY (client_id, scope),
  INDEX oauth_client_scopes_scope_idx (scope),
  CONSTRAINT oauth_client_scopes_client_id_fkey FOREIGN KEY (client_id)
    REFERENCES oauth_clients (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT oauth_client_scopes_scope_fkey FOREIGN KEY (scope)
    REFERENCES oauth_scopes (name) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_resources (
  id VARCHAR(512) NOT NULL,
  name VARCHAR(255) NOT NULL,
  scope VARCHAR(4000) NULL,
  access_token_lifetime INT NULL,
  token_format VARCHAR(16) NOT NULL DEFAULT 'opaque',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_resources_pkey PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_client_registrations (
  client_id VARCHAR(128) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  access_token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  metadata TEXT NOT NULL,
  last_used_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_client_registrations_pkey PRIMARY KEY (client_id),
  INDEX oauth_client_registrations_kind_last_used_at_idx (kind, last_used_at),
  CONSTRAINT oauth_client_registrations_client_id_fkey FOREIGN KEY (client_id)
    REFERENCES oauth_clients (id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_signing_keys (
  id VARCHAR(64) NOT NULL,
  alg VARCHAR(16) NOT NULL,
  public_jwk VARCHAR(2000) NOT NULL,
  private_key_encrypted TEXT NOT NULL,
  activates_at DATETIME(3) NOT NULL,
  retires_at DATETIME(3) NULL,
  expires_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_signing_keys_pkey PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_users (
  id VARCHAR(128) NOT NULL,
  username VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_users_pkey PRIMARY KEY (id),
  UNIQUE INDEX oauth_users_username_key (username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_tokens (
  id VARCHAR(36) NOT NULL,
  access_token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  access_token_expires_at DATETIME(3) NOT NULL,
  refresh_token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  refresh_token_expires_at DATETIME(3) NULL,
  scope VARCHAR(4000) NULL,
  audience VARCHAR(4000) NULL,
  client_id VARCHAR(128) NOT NULL,
  user_id VARCHAR(128) NULL,
  family_id VARCHAR(36) NOT NULL,
  authorization_code_id VARCHAR(36) NULL,
  revoked_at DATETIME(3) NULL,
  auth_time DATETIME(3) NULL,
  acr VARCHAR(255) NULL,
  amr VARCHAR(255) NULL,
  expires_at DATETIME(3) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_tokens_pkey PRIMARY KEY (id),
  UNIQUE INDEX oauth_tokens_access_token_hash_key (access_token_hash),
  UNIQUE INDEX oauth_tokens_refresh_token_hash_key (refresh_token_hash),
  INDEX oauth_tokens_client_id_idx (client_id),
  INDEX oauth_tokens_user_id_idx (user_id),
  INDEX oauth_tokens_family_id_idx (family_id),
  INDEX oauth_tokens_authorization_code_id_idx (authorization_code_id),
  INDEX oauth_tokens_expires_at_idx (expires_at),
  CONSTRAINT oauth_tokens_client_id_fkey FOREIGN KEY (client_id)
    REFERENCES oauth_clients (id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_authorization_codes (
  id VARCHAR(36) NOT NULL,
  code_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  client_id VARCHAR(128) NOT NULL,
  user_id VARCHAR(128) NOT NULL,
  redirect_uri VARCHAR(2000) NULL,
  scope VARCHAR(4000) NULL,
  audience VARCHAR(4000) NULL,
  code_challenge VARCHAR(128) NULL,
  code_challenge_method VARCHAR(10) NULL,
  nonce VARCHAR(512) NULL,
  auth_time DATETIME(3) NULL,
  acr VARCHAR(255) NULL,
  amr VARCHAR(255) NULL,
  expires_at DATETIME(3) NOT NULL,
  consumed_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_authorization_codes_pkey PRIMARY KEY (id),
  UNIQUE INDEX oauth_authorization_codes_code_hash_key (code_hash),
  INDEX oauth_authorization_codes_client_id_idx (client_id),
  INDEX oauth_authorization_codes_expires_at_idx (expires_at),
  CONSTRAINT oauth_authorization_codes_client_id_fkey FOREIGN KEY (client_id)
    REFERENCES oauth_clients (id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_consent_grants (
  user_id VARCHAR(128) NOT NULL,
  client_id VARCHAR(128) NOT NULL,
  scope VARCHAR(4000) NULL,
  audience VARCHAR(4000) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_consent_grants_pkey PRIMARY KEY (user_id, client_id),
  INDEX oauth_consent_grants_client_id_idx (client_id),
  CONSTRAINT oauth_consent_grants_client_id_fkey FOREIGN KEY (client_id)
    REFERENCES oauth_clients (id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_sessions (
  id VARCHAR(36) NOT NULL,
  secret_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  user_id VARCHAR(128) NOT NULL,
  auth_time DATETIME(3) NOT NULL,
  acr VARCHAR(255) NULL,
  amr VARCHAR(255) NULL,
  expires_at DATETIME(3) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT oauth_sessions_pkey PRIMARY KEY (id),
  UNIQUE INDEX oauth_sessions_secret_hash_key (secret_hash),
  INDEX oauth_sessions_user_id_idx (user_id),
  INDEX oauth_sessions_expires_at_idx (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oauth_attempt_counters (
  `key` CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  points INT NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  CONSTRAINT oauth_attempt_counters_pkey PRIMARY KEY (`key`),
  INDEX oauth_attempt_counters_expires_at_idx (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
