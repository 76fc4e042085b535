-- AlterTable
ALTER TABLE "oauth_resources" ADD COLUMN     "token_format" VARCHAR(16) NOT NULL DEFAULT 'opaque';

-- CreateTable
CREATE TABLE "oauth_client_registrations" (
    "client_id" VARCHAR(128) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "access_token_hash" CHAR(64),
    "metadata" TEXT NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_client_registrations_pkey" PRIMARY KEY ("client_id")
);

-- CreateTable
CREATE TABLE "oauth_signing_keys" (
    "id" VARCHAR(64) NOT NULL,
    "alg" VARCHAR(16) NOT NULL,
    "public_jwk" VARCHAR(2000) NOT NULL,
    "private_key_encrypted" TEXT NOT NULL,
    "activates_at" TIMESTAMPTZ(3) NOT NULL,
    "retires_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_signing_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "oauth_client_registrations_kind_last_used_at_idx" ON "oauth_client_registrations"("kind", "last_used_at");

-- AddForeignKey
ALTER TABLE "oauth_client_registrations" ADD CONSTRAINT "oauth_client_registrations_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;


