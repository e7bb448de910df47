-- AlterTable
ALTER TABLE "AnchorBatch" ADD COLUMN     "blockHash" TEXT,
ADD COLUMN     "reorgs" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "settledAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "AnchorBatch_status_settledAt_idx" ON "AnchorBatch"("status", "settledAt");
