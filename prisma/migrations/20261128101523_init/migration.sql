-- CreateTable
CREATE TABLE "oauth_clients" (
    "id" VARCHAR(128) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "secret_hash" CHAR(64),
    "access_token_lifetime" INTEGER,
    "refresh_token_lifetime" INTEGER,
    "authorization_code_lifetime" INTEGER,
    "require_pkce" BOOLEAN NOT NULL DEFAULT true,
    "allow_plain_pkce" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_clients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_client_grants" (
    "client_id" VARCHAR(128) NOT NULL,
    "grant_type" VARCHAR(64) NOT NULL,

    CONSTRAINT "oauth_client_grants_pkey" PRIMARY KEY ("client_id","grant_type")
);

-- CreateTable
CREATE TABLE "oauth_client_redirect_uris" (
    "client_id" VARCHAR(128) NOT NULL,
    "position" INTEGER NOT NULL,
    "redirect_uri" VARCHAR(2000) NOT NULL,

    CONSTRAINT "oauth_client_redirect_uris_pkey" PRIMARY KEY ("client_id","position")
);

-- CreateTable
CREATE TABLE "oauth_scopes" (
    "name" VARCHAR(128) NOT NULL,
    "description" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_scopes_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "oauth_client_scopes" (
    "client_id" VARCHAR(128) NOT NULL,
    "scope" VARCHAR(128) NOT NULL,

    CONSTRAINT "oauth_client_scopes_pkey" PRIMARY KEY ("client_id","scope")
);

-- CreateTable
CREATE TABLE "oauth_users" (
    "id" VARCHAR(128) NOT NULL,
    "username" VARCHAR(255) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_tokens" (
    "id" VARCHAR(36) NOT NULL,
    "access_token_hash" CHAR(64) NOT NULL,
    "access_token_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "refresh_token_hash" CHAR(64),
    "refresh_token_expires_at" TIMESTAMPTZ(3),
    "scope" VARCHAR(4000),
    "client_id" VARCHAR(128) NOT NULL,
    "user_id" VARCHAR(128),
    "family_id" VARCHAR(36) NOT NULL,
    "authorization_code_id" VARCHAR(36),
    "revoked_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_authorization_codes" (
    "id" VARCHAR(36) NOT NULL,
    "code_hash" CHAR(64) NOT NULL,
    "client_id" VARCHAR(128) NOT NULL,
    "user_id" VARCHAR(128) NOT NULL,
    "redirect_uri" VARCHAR(2000),
    "scope" VARCHAR(4000),
    "code_challenge" VARCHAR(128),
    "code_challenge_method" VARCHAR(10),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_authorization_codes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "oauth_client_scopes_scope_idx" ON "oauth_client_scopes"("scope");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_users_username_key" ON "oauth_users"("username");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_tokens_access_token_hash_key" ON "oauth_tokens"("access_token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_tokens_refresh_token_hash_key" ON "oauth_tokens"("refresh_token_hash");

-- CreateIndex
CREATE INDEX "oauth_tokens_client_id_idx" ON "oauth_tokens"("client_id");

-- CreateIndex
CREATE INDEX "oauth_tokens_user_id_idx" ON "oauth_tokens"("user_id");

-- CreateIndex
CREATE INDEX "oauth_tokens_family_id_idx" ON "oauth_tokens"("family_id");

-- CreateIndex
CREATE INDEX "oauth_tokens_authorization_code_id_idx" ON "oauth_tokens"("authorization_code_id");

-- CreateIndex
CREATE INDEX "oauth_tokens_expires_at_idx" ON "oauth_tokens"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_authorization_codes_code_hash_key" ON "oauth_authorization_codes"("code_hash");

-- CreateIndex
CREATE INDEX "oauth_authorization_codes_client_id_idx" ON "oauth_authorization_codes"("client_id");

-- CreateIndex
CREATE INDEX "oauth_authorization_codes_expires_at_idx" ON "oauth_authorization_codes"("expires_at");

-- AddForeignKey
ALTER TABLE "oauth_client_grants" ADD CONSTRAINT "oauth_client_grants_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_client_redirect_uris" ADD CONSTRAINT "oauth_client_redirect_uris_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_client_scopes" ADD CONSTRAINT "oauth_client_scopes_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_client_scopes" ADD CONSTRAINT "oauth_client_scopes_scope_fkey" FOREIGN KEY ("scope") REFERENCES "oauth_scopes"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_tokens" ADD CONSTRAINT "oauth_tokens_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_authorization_codes" ADD CONSTRAINT "oauth_authorization_codes_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
