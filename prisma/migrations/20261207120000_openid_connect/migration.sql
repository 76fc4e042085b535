-- AlterTable
ALTER TABLE "oauth_authorization_codes" ADD COLUMN     "acr" VARCHAR(255),
ADD COLUMN     "amr" VARCHAR(255),
ADD COLUMN     "auth_time" TIMESTAMPTZ(3),
ADD COLUMN     "nonce" VARCHAR(512);

-- AlterTable
ALTER TABLE "oauth_clients" ADD COLUMN     "id_token_signed_response_alg" VARCHAR(16),
ADD COLUMN     "post_logout_redirect_uris" TEXT,
ADD COLUMN     "sector_identifier" VARCHAR(255),
ADD COLUMN     "subject_type" VARCHAR(16) NOT NULL DEFAULT 'public';

-- AlterTable
ALTER TABLE "oauth_tokens" ADD COLUMN     "acr" VARCHAR(255),
ADD COLUMN     "amr" VARCHAR(255),
ADD COLUMN     "auth_time" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "oauth_consent_grants" (
    "user_id" VARCHAR(128) NOT NULL,
    "client_id" VARCHAR(128) NOT NULL,
    "scope" VARCHAR(4000),
    "audience" VARCHAR(4000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_consent_grants_pkey" PRIMARY KEY ("user_id","client_id")
);

-- CreateTable
CREATE TABLE "oauth_sessions" (
    "id" VARCHAR(36) NOT NULL,
    "secret_hash" CHAR(64) NOT NULL,
    "user_id" VARCHAR(128) NOT NULL,
    "auth_time" TIMESTAMPTZ(3) NOT NULL,
    "acr" VARCHAR(255),
    "amr" VARCHAR(255),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "oauth_consent_grants_client_id_idx" ON "oauth_consent_grants"("client_id");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_sessions_secret_hash_key" ON "oauth_sessions"("secret_hash");

-- CreateIndex
CREATE INDEX "oauth_sessions_user_id_idx" ON "oauth_sessions"("user_id");

-- CreateIndex
CREATE INDEX "oauth_sessions_expires_at_idx" ON "oauth_sessions"("expires_at");

-- AddForeignKey
ALTER TABLE "oauth_consent_grants" ADD CONSTRAINT "oauth_consent_grants_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
