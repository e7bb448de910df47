-- CreateTable
CREATE TABLE "Upload" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "uploaderId" TEXT,
    "digest" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attachedAt" TIMESTAMP(3),

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Upload_attachedAt_createdAt_idx" ON "Upload"("attachedAt", "createdAt");

-- CreateIndex
CREATE INDEX "Upload_digest_idx" ON "Upload"("digest");

-- CreateIndex
CREATE UNIQUE INDEX "Upload_orgId_digest_key" ON "Upload"("orgId", "digest");

-- AddForeignKey
ALTER TABLE "Upload" ADD CONSTRAINT "Upload_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Upload" ADD CONSTRAINT "Upload_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Files attached before uploads had owners belong to the organisation of the trial they were
-- attached to (the earliest attachment per organisation and digest). Who uploaded them is not
-- known, so uploaderId stays null. Unattached files have no row and are removed by the clean-up.
INSERT INTO "Upload" ("id", "orgId", "uploaderId", "digest", "size", "createdAt", "attachedAt")
SELECT DISTINCT ON (t."orgId", f."digest") 'backfill-' || f."id", t."orgId", NULL, f."digest", f."size", f."createdAt", f."createdAt"
FROM "TrialFile" f JOIN "Trial" t ON t."id" = f."trialId"
ORDER BY t."orgId", f."digest", f."createdAt";
