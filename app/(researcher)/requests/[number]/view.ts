import type { requestForResearcher } from "@/lib/access/service";

/** The request as the researcher's loader returns it (lib/access/service.ts), for the page's parts. */
export type ResearcherRequest = Awaited<ReturnType<typeof requestForResearcher>>;
