-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('BUILDING', 'READY', 'FAILED');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "crypt4ghPublicKey" TEXT;

-- CreateTable
CREATE TABLE "DataExport" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "status" "ExportStatus" NOT NULL DEFAULT 'BUILDING',
    "rowsRead" INTEGER NOT NULL DEFAULT 0,
    "chainId" INTEGER,
    "registry" TEXT,
    "blockNumber" INTEGER,
    "manifest" TEXT,
    "manifestDigest" TEXT,
    "inclusion" JSONB,
    "anchorItemId" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DataExport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataExportFile" (
    "id" TEXT NOT NULL,
    "exportId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT,
    "rowsKept" INTEGER,
    "rowsExcluded" INTEGER,
    "bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "cipherBytes" BIGINT,
    "cipherSha256" TEXT,
    "blobDigest" TEXT NOT NULL,

    CONSTRAINT "DataExportFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DataExport_number_key" ON "DataExport"("number");

-- CreateIndex
CREATE UNIQUE INDEX "DataExport_manifestDigest_key" ON "DataExport"("manifestDigest");

-- CreateIndex
CREATE UNIQUE INDEX "DataExport_anchorItemId_key" ON "DataExport"("anchorItemId");

-- CreateIndex
CREATE INDEX "DataExport_requestId_idx" ON "DataExport"("requestId");

-- CreateIndex
CREATE INDEX "DataExport_releaseId_idx" ON "DataExport"("releaseId");

-- CreateIndex
CREATE UNIQUE INDEX "DataExportFile_exportId_name_key" ON "DataExportFile"("exportId", "name");

-- AddForeignKey
ALTER TABLE "DataExport" ADD CONSTRAINT "DataExport_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataExport" ADD CONSTRAINT "DataExport_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "DatasetRelease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataExport" ADD CONSTRAINT "DataExport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataExportFile" ADD CONSTRAINT "DataExportFile_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "DataExport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
