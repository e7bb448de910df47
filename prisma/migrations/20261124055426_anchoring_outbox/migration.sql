-- CreateEnum
CREATE TYPE "AnchorBatchStatus" AS ENUM ('BUILT', 'SENT', 'CONFIRMED');

-- CreateTable
CREATE TABLE "AnchorItem" (
    "id" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT,
    "subjectName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "batchId" TEXT,
    "leafIndex" INTEGER,
    "path" JSONB,

    CONSTRAINT "AnchorItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnchorBatch" (
    "id" TEXT NOT NULL,
    "root" TEXT NOT NULL,
    "treeSize" INTEGER NOT NULL,
    "status" "AnchorBatchStatus" NOT NULL DEFAULT 'BUILT',
    "chainId" INTEGER,
    "contract" TEXT,
    "txHash" TEXT,
    "blockNumber" INTEGER,
    "blockTime" TIMESTAMP(3),
    "confirmations" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),

    CONSTRAINT "AnchorBatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AnchorItem_batchId_createdAt_idx" ON "AnchorItem"("batchId", "createdAt");

-- CreateIndex
CREATE INDEX "AnchorItem_subjectId_idx" ON "AnchorItem"("subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "AnchorBatch_root_key" ON "AnchorBatch"("root");

-- CreateIndex
CREATE INDEX "AnchorBatch_status_nextAttemptAt_idx" ON "AnchorBatch"("status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "AnchorItem" ADD CONSTRAINT "AnchorItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "AnchorBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;
