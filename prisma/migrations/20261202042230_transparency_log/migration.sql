-- CreateTable
CREATE TABLE "Lease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "LogEntry" (
    "id" BIGSERIAL NOT NULL,
    "idx" BIGINT,
    "kind" TEXT NOT NULL,
    "body" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT,
    "orgId" TEXT,

    CONSTRAINT "LogEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LogPrivate" (
    "entryId" BIGINT NOT NULL,
    "details" JSONB NOT NULL,
    "salt" BYTEA NOT NULL,

    CONSTRAINT "LogPrivate_pkey" PRIMARY KEY ("entryId")
);

-- CreateIndex
CREATE UNIQUE INDEX "LogEntry_idx_key" ON "LogEntry"("idx");

-- CreateIndex
CREATE INDEX "LogEntry_kind_createdAt_idx" ON "LogEntry"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "LogEntry_actorId_createdAt_idx" ON "LogEntry"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "LogEntry_subjectType_subjectId_idx" ON "LogEntry"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "LogEntry_orgId_createdAt_idx" ON "LogEntry"("orgId", "createdAt");

-- AddForeignKey
ALTER TABLE "LogPrivate" ADD CONSTRAINT "LogPrivate_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LogEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
