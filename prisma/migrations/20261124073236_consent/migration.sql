-- CreateEnum
CREATE TYPE "ConsentEventStatus" AS ENUM ('PENDING', 'SENT', 'RECORDED', 'REJECTED');

-- CreateTable
CREATE TABLE "EnrolmentCodeSet" (
    "id" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issued" INTEGER NOT NULL,
    "redeemed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "EnrolmentCodeSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrolmentCode" (
    "hash" TEXT NOT NULL,
    "setId" TEXT NOT NULL,

    CONSTRAINT "EnrolmentCode_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "ConsentMember" (
    "id" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "commitment" TEXT NOT NULL,
    "status" "ChainWriteStatus" NOT NULL DEFAULT 'PENDING',
    "leafIndex" INTEGER,
    "txHash" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "ConsentMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentGroupRoot" (
    "trialId" TEXT NOT NULL,
    "root" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "blockTime" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConsentGroupRoot_pkey" PRIMARY KEY ("trialId","root")
);

-- CreateTable
CREATE TABLE "ConsentVersion" (
    "id" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "items" JSONB NOT NULL,
    "canonical" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "chainStatus" "ChainWriteStatus" NOT NULL DEFAULT 'PENDING',
    "chainTxHash" TEXT,
    "chainAttempts" INTEGER NOT NULL DEFAULT 0,
    "chainNextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "chainLastError" TEXT,

    CONSTRAINT "ConsentVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentEvent" (
    "id" TEXT NOT NULL,
    "position" SERIAL NOT NULL,
    "trialId" TEXT NOT NULL,
    "nullifier" TEXT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "grants" TEXT NOT NULL,
    "textVersion" INTEGER NOT NULL,
    "message" TEXT NOT NULL,
    "merkleTreeRoot" TEXT NOT NULL,
    "merkleTreeDepth" INTEGER NOT NULL,
    "points" JSONB NOT NULL,
    "status" "ConsentEventStatus" NOT NULL DEFAULT 'PENDING',
    "txHash" TEXT,
    "blockNumber" INTEGER,
    "blockTime" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "ConsentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentState" (
    "trialId" TEXT NOT NULL,
    "nullifier" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "grants" TEXT NOT NULL,
    "textVersion" INTEGER NOT NULL,

    CONSTRAINT "ConsentState_pkey" PRIMARY KEY ("trialId","nullifier")
);

-- CreateTable
CREATE TABLE "PseudonymChallenge" (
    "id" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "challenge" TEXT NOT NULL,
    "issuedById" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "nullifier" TEXT,
    "verifiedAt" TIMESTAMP(3),

    CONSTRAINT "PseudonymChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EnrolmentCodeSet_trialId_idx" ON "EnrolmentCodeSet"("trialId");

-- CreateIndex
CREATE INDEX "EnrolmentCode_setId_idx" ON "EnrolmentCode"("setId");

-- CreateIndex
CREATE INDEX "ConsentMember_trialId_status_idx" ON "ConsentMember"("trialId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentMember_trialId_commitment_key" ON "ConsentMember"("trialId", "commitment");

-- CreateIndex
CREATE INDEX "ConsentGroupRoot_trialId_size_idx" ON "ConsentGroupRoot"("trialId", "size");

-- CreateIndex
CREATE INDEX "ConsentVersion_chainStatus_chainNextAttemptAt_idx" ON "ConsentVersion"("chainStatus", "chainNextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentVersion_trialId_version_key" ON "ConsentVersion"("trialId", "version");

-- CreateIndex
CREATE INDEX "ConsentEvent_status_position_idx" ON "ConsentEvent"("status", "position");

-- CreateIndex
CREATE INDEX "ConsentEvent_trialId_position_idx" ON "ConsentEvent"("trialId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentEvent_trialId_nullifier_sequence_key" ON "ConsentEvent"("trialId", "nullifier", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentState_eventId_key" ON "ConsentState"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "PseudonymChallenge_challenge_key" ON "PseudonymChallenge"("challenge");

-- CreateIndex
CREATE INDEX "PseudonymChallenge_trialId_idx" ON "PseudonymChallenge"("trialId");

-- AddForeignKey
ALTER TABLE "EnrolmentCodeSet" ADD CONSTRAINT "EnrolmentCodeSet_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrolmentCode" ADD CONSTRAINT "EnrolmentCode_setId_fkey" FOREIGN KEY ("setId") REFERENCES "EnrolmentCodeSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentMember" ADD CONSTRAINT "ConsentMember_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentGroupRoot" ADD CONSTRAINT "ConsentGroupRoot_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentVersion" ADD CONSTRAINT "ConsentVersion_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentEvent" ADD CONSTRAINT "ConsentEvent_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentState" ADD CONSTRAINT "ConsentState_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PseudonymChallenge" ADD CONSTRAINT "PseudonymChallenge_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
