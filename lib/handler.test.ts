import { describe, expect, it } from "vitest";
import { formDataToObject } from "@/lib/handler";

describe("formDataToObject", () => {
  it("drops React's fields and empty values, collects repeated keys", () => {
    const form = new FormData();
    form.append("$ACTION_ID_abc", "");
    form.append("email", "a@example.org");
    form.append("empty", "");
    form.append("tag", "x");
    form.append("tag", "y");
    expect(formDataToObject(form)).toEqual({ email: "a@example.org", tag: ["x", "y"] });
  });
});
