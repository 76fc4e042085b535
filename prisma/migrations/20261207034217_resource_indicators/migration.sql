-- AlterTable
ALTER TABLE "oauth_authorization_codes" ADD COLUMN     "audience" VARCHAR(4000);

-- AlterTable
ALTER TABLE "oauth_tokens" ADD COLUMN     "audience" VARCHAR(4000);

-- CreateTable
CREATE TABLE "oauth_resources" (
    "id" VARCHAR(512) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "scope" VARCHAR(4000),
    "access_token_lifetime" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_resources_pkey" PRIMARY KEY ("id")
);
