-- CreateEnum
CREATE TYPE "DecisionRule" AS ENUM ('ONE_DECIDER', 'MAJORITY');

-- CreateEnum
CREATE TYPE "AccessRequestState" AS ENUM ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'RETURNED', 'APPROVED', 'DENIED', 'WITHDRAWN', 'CLOSED');

-- CreateEnum
CREATE TYPE "GrantEndReason" AS ENUM ('EXPIRED', 'REVOKED', 'CLOSED_OUT');

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "decisionRule" "DecisionRule" NOT NULL DEFAULT 'ONE_DECIDER',
ADD COLUMN     "decisionTargetDays" INTEGER NOT NULL DEFAULT 14;

-- CreateTable
CREATE TABLE "DataUseAgreement" (
    "version" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataUseAgreement_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "AccessRequestCounter" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AccessRequestCounter_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "AccessRequest" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "researcherId" TEXT NOT NULL,
    "state" "AccessRequestState" NOT NULL DEFAULT 'DRAFT',
    "form" JSONB NOT NULL,
    "submitted" JSONB,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "agreementVersion" INTEGER NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "grantEnd" TIMESTAMP(3),
    "conditions" TEXT,
    "planDigest" TEXT,
    "anchorItemId" TEXT,
    "closeout" JSONB,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccessRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessRequestRelease" (
    "requestId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,

    CONSTRAINT "AccessRequestRelease_pkey" PRIMARY KEY ("requestId","releaseId")
);

-- CreateTable
CREATE TABLE "AccessRequestMember" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "userId" TEXT,
    "applicant" BOOLEAN NOT NULL DEFAULT false,
    "tokenHash" TEXT,
    "acceptedAt" TIMESTAMP(3),
    "agreementVersion" INTEGER,
    "invitedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessRequestMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessDocument" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessEvent" (
    "id" BIGSERIAL NOT NULL,
    "requestId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "actorId" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'all',
    "body" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessVote" (
    "requestId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "vote" TEXT NOT NULL,
    "rationale" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessVote_pkey" PRIMARY KEY ("requestId","userId")
);

-- CreateTable
CREATE TABLE "AccessGrant" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "start" TIMESTAMP(3) NOT NULL,
    "end" TIMESTAMP(3) NOT NULL,
    "visa" TEXT NOT NULL,
    "endedAt" TIMESTAMP(3),
    "endReason" "GrantEndReason",
    "endedById" TEXT,
    "revokeReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DataUseAgreement_digest_key" ON "DataUseAgreement"("digest");

-- CreateIndex
CREATE UNIQUE INDEX "AccessRequest_number_key" ON "AccessRequest"("number");

-- CreateIndex
CREATE UNIQUE INDEX "AccessRequest_anchorItemId_key" ON "AccessRequest"("anchorItemId");

-- CreateIndex
CREATE INDEX "AccessRequest_orgId_state_idx" ON "AccessRequest"("orgId", "state");

-- CreateIndex
CREATE INDEX "AccessRequest_researcherId_idx" ON "AccessRequest"("researcherId");

-- CreateIndex
CREATE INDEX "AccessRequestRelease_releaseId_idx" ON "AccessRequestRelease"("releaseId");

-- CreateIndex
CREATE UNIQUE INDEX "AccessRequestMember_tokenHash_key" ON "AccessRequestMember"("tokenHash");

-- CreateIndex
CREATE INDEX "AccessRequestMember_userId_idx" ON "AccessRequestMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "AccessRequestMember_requestId_email_key" ON "AccessRequestMember"("requestId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "AccessDocument_requestId_kind_key" ON "AccessDocument"("requestId", "kind");

-- CreateIndex
CREATE INDEX "AccessEvent_requestId_id_idx" ON "AccessEvent"("requestId", "id");

-- CreateIndex
CREATE INDEX "AccessGrant_userId_endedAt_idx" ON "AccessGrant"("userId", "endedAt");

-- CreateIndex
CREATE INDEX "AccessGrant_end_endedAt_idx" ON "AccessGrant"("end", "endedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AccessGrant_requestId_userId_releaseId_key" ON "AccessGrant"("requestId", "userId", "releaseId");

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_researcherId_fkey" FOREIGN KEY ("researcherId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequestRelease" ADD CONSTRAINT "AccessRequestRelease_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequestRelease" ADD CONSTRAINT "AccessRequestRelease_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "DatasetRelease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequestMember" ADD CONSTRAINT "AccessRequestMember_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequestMember" ADD CONSTRAINT "AccessRequestMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessDocument" ADD CONSTRAINT "AccessDocument_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessEvent" ADD CONSTRAINT "AccessEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessVote" ADD CONSTRAINT "AccessVote_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessVote" ADD CONSTRAINT "AccessVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "DatasetRelease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
