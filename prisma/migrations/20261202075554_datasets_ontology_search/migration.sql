-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "ReleaseStatus" AS ENUM ('DRAFT', 'PUBLISHED');

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetRelease" (
    "id" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" "ReleaseStatus" NOT NULL DEFAULT 'DRAFT',
    "metadata" JSONB NOT NULL,
    "dictionary" JSONB NOT NULL,
    "conditions" JSONB NOT NULL,
    "manifest" TEXT,
    "manifestDigest" TEXT,
    "previousDigest" TEXT,
    "anchorItemId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "publishedById" TEXT,
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "DatasetRelease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetFile" (
    "id" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "format" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "rows" INTEGER,
    "report" JSONB,
    "hasErrors" BOOLEAN NOT NULL DEFAULT false,
    "validatedAt" TIMESTAMP(3),
    "anchorItemId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OntologyTerm" (
    "id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "synonyms" TEXT[],
    "parents" TEXT[],
    "obsolete" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL,

    CONSTRAINT "OntologyTerm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OntologyRelease" (
    "ontology" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "terms" INTEGER NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OntologyRelease_pkey" PRIMARY KEY ("ontology")
);

-- CreateTable
CREATE TABLE "SearchDocument" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sponsor" TEXT NOT NULL,
    "phase" TEXT,
    "status" TEXT,
    "countries" TEXT[],
    "conditionIds" TEXT[],
    "permission" TEXT,
    "fileTypes" TEXT[],
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "summary" JSONB NOT NULL,
    "tsv" tsvector,

    CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_number_key" ON "Dataset"("number");

-- CreateIndex
CREATE INDEX "Dataset_trialId_idx" ON "Dataset"("trialId");

-- CreateIndex
CREATE INDEX "Dataset_orgId_idx" ON "Dataset"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetRelease_manifestDigest_key" ON "DatasetRelease"("manifestDigest");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetRelease_anchorItemId_key" ON "DatasetRelease"("anchorItemId");

-- CreateIndex
CREATE INDEX "DatasetRelease_status_publishedAt_idx" ON "DatasetRelease"("status", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetRelease_datasetId_number_key" ON "DatasetRelease"("datasetId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetFile_anchorItemId_key" ON "DatasetFile"("anchorItemId");

-- CreateIndex
CREATE INDEX "DatasetFile_digest_idx" ON "DatasetFile"("digest");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetFile_releaseId_name_key" ON "DatasetFile"("releaseId", "name");

-- CreateIndex
CREATE INDEX "OntologyTerm_parents_idx" ON "OntologyTerm" USING GIN ("parents");

-- CreateIndex
CREATE INDEX "SearchDocument_kind_registeredAt_idx" ON "SearchDocument"("kind", "registeredAt");

-- CreateIndex
CREATE INDEX "SearchDocument_tsv_idx" ON "SearchDocument" USING GIN ("tsv");

-- CreateIndex
CREATE INDEX "SearchDocument_text_idx" ON "SearchDocument" USING GIN ("text" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "SearchDocument_conditionIds_idx" ON "SearchDocument" USING GIN ("conditionIds");

-- CreateIndex
CREATE INDEX "SearchDocument_countries_idx" ON "SearchDocument" USING GIN ("countries");

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetRelease" ADD CONSTRAINT "DatasetRelease_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetFile" ADD CONSTRAINT "DatasetFile_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "DatasetRelease"("id") ON DELETE CASCADE ON UPDATE CASCADE;
