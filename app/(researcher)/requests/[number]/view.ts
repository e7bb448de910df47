import type { requestForResearcher } from "@/lib/access/views";

/** The request as the researcher's loader returns it (lib/access/views.ts), for the page's parts. */
export type ResearcherRequest = Awaited<ReturnType<typeof requestForResearcher>>;
