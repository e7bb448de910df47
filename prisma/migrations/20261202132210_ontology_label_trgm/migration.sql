-- CreateIndex
CREATE INDEX "OntologyTerm_label_idx" ON "OntologyTerm" USING GIN ("label" gin_trgm_ops);
