-- AlterTable
ALTER TABLE "oauth_clients" ADD COLUMN     "allow_introspection" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "default_scope" VARCHAR(4000);

-- CreateTable
CREATE TABLE "oauth_attempt_counters" (
    "key" CHAR(64) NOT NULL,
    "points" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "oauth_attempt_counters_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "oauth_attempt_counters_expires_at_idx" ON "oauth_attempt_counters"("expires_at");
