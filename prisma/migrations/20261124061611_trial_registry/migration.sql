-- CreateEnum
CREATE TYPE "ChainWriteStatus" AS ENUM ('PENDING', 'SENT', 'CONFIRMED');

-- CreateTable
CREATE TABLE "Trial" (
    "id" TEXT NOT NULL,
    "registrationNumber" TEXT NOT NULL,
    "chainTrialId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Trial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrialVersion" (
    "id" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "record" JSONB NOT NULL,
    "canonical" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "previousDigest" TEXT,
    "outcomeFlags" JSONB NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "anchorItemId" TEXT,
    "chainStatus" "ChainWriteStatus" NOT NULL DEFAULT 'PENDING',
    "chainTxHash" TEXT,
    "chainAttempts" INTEGER NOT NULL DEFAULT 0,
    "chainNextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "chainLastError" TEXT,

    CONSTRAINT "TrialVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegistrationCounter" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "RegistrationCounter_pkey" PRIMARY KEY ("year")
);

-- CreateIndex
CREATE UNIQUE INDEX "Trial_registrationNumber_key" ON "Trial"("registrationNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Trial_chainTrialId_key" ON "Trial"("chainTrialId");

-- CreateIndex
CREATE INDEX "Trial_orgId_idx" ON "Trial"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "TrialVersion_anchorItemId_key" ON "TrialVersion"("anchorItemId");

-- CreateIndex
CREATE INDEX "TrialVersion_chainStatus_chainNextAttemptAt_idx" ON "TrialVersion"("chainStatus", "chainNextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "TrialVersion_trialId_version_key" ON "TrialVersion"("trialId", "version");

-- AddForeignKey
ALTER TABLE "Trial" ADD CONSTRAINT "Trial_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrialVersion" ADD CONSTRAINT "TrialVersion_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
