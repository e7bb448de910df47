import { describe, expect, it } from "vitest";
import { RESULT_WINDOW, effectiveSort, isFiltered, parseSearchParams, searchHref, searchQuery } from "@/lib/search/schema";

describe("searchQuery", () => {
  it("defaults to page 1 of 20 and reads blank fields as absent", () => {
    expect(searchQuery.parse({ q: "  ", phase: "", country: "" })).toEqual({ page: 1, pageSize: 20 });
  });

  it("normalises the country and the Mondo id to upper case, and takes the first of a repeated key", () => {
    expect(searchQuery.parse({ country: " gb ", condition: "mondo:0005015", q: ["asthma", "x"], page: "2", pageSize: "50" })).toEqual({
      country: "GB",
      condition: "MONDO:0005015",
      q: "asthma",
      page: 2,
      pageSize: 50,
    });
  });

  it("refuses what is out of its bounds, naming the field", () => {
    const refused = searchQuery.safeParse({
      q: "x".repeat(201),
      condition: "DOID:9352",
      permission: "NRES",
      phase: "phase-9",
      country: "GBR",
      sponsor: "a\u0000b",
      fileType: "xlsx",
      status: "open",
      sort: "random",
      page: "0",
      pageSize: "101",
    });
    expect(refused.success).toBe(false);
    const fields = new Set(refused.error?.issues.map((i) => i.path[0]));
    expect([...fields].sort()).toEqual(["condition", "country", "fileType", "page", "pageSize", "permission", "phase", "q", "sort", "sponsor", "status"]);
    expect(searchQuery.safeParse({ q: "x".repeat(200), pageSize: "100", page: "1.5" }).error?.issues.map((i) => i.path[0])).toEqual(["page"]);
  });

  it("keeps paging within the first 1,000 results", () => {
    expect(RESULT_WINDOW).toBe(1_000);
    expect(searchQuery.safeParse({ page: "10", pageSize: "100" }).success).toBe(true);
    expect(searchQuery.safeParse({ page: "50" }).success).toBe(true);
    const past = searchQuery.safeParse({ page: "11", pageSize: "100" });
    expect(past.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["page", "Only the first 1,000 results can be paged through: narrow the search."]]);
  });
});

describe("a page's search", () => {
  it("drops the invalid fields and says why, keeping the rest", () => {
    const { query, problems } = parseSearchParams({ q: "asthma", phase: "phase-9", country: "gb" });
    expect(query).toEqual({ q: "asthma", country: "GB", page: 1, pageSize: 20 });
    expect(Object.keys(problems)).toEqual(["phase"]);
    expect(parseSearchParams({ q: "asthma" }).problems).toEqual({});
  });

  it("links to another page of the same search, leaving defaults out", () => {
    const query = searchQuery.parse({ q: "type 2", country: "gb" });
    expect(searchHref("/trials", query, { page: 2 })).toBe("/trials?q=type+2&country=GB&page=2");
    expect(searchHref("/trials", query, { page: 1 })).toBe("/trials?q=type+2&country=GB");
    expect(searchHref("/datasets", searchQuery.parse({}))).toBe("/datasets");
    // A link read back is the same search.
    const href = searchHref("/trials", searchQuery.parse({ q: "a&b", sort: "title", pageSize: "50", page: "3" }));
    expect(searchQuery.parse(Object.fromEntries(new URL(href, "http://x").searchParams))).toEqual({ q: "a&b", sort: "title", pageSize: 50, page: 3 });
  });

  it("sorts by relevance only when there is text to rank by", () => {
    expect(effectiveSort({ q: "asthma", sort: undefined })).toBe("relevance");
    expect(effectiveSort({ q: undefined, sort: undefined })).toBe("newest");
    expect(effectiveSort({ q: undefined, sort: "relevance" })).toBe("newest");
    expect(effectiveSort({ q: "asthma", sort: "oldest" })).toBe("oldest");
  });

  it("counts only the filters as narrowing the search", () => {
    expect(isFiltered(searchQuery.parse({ sort: "title", page: "2", pageSize: "50" }))).toBe(false);
    expect(isFiltered(searchQuery.parse({ fileType: "csv" }))).toBe(true);
  });
});
