-- CreateTable
CREATE TABLE "TrialFile" (
    "id" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "anchorItemId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrialFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrialFile_anchorItemId_key" ON "TrialFile"("anchorItemId");

-- CreateIndex
CREATE INDEX "TrialFile_digest_idx" ON "TrialFile"("digest");

-- CreateIndex
CREATE UNIQUE INDEX "TrialFile_trialId_digest_key" ON "TrialFile"("trialId", "digest");

-- AddForeignKey
ALTER TABLE "TrialFile" ADD CONSTRAINT "TrialFile_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
