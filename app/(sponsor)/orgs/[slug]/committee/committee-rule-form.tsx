"use client";

import { useEffect, useRef, useState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { RadioGroup } from "@/app/_components/radio-group";
import { RULES, type DecisionRule } from "@/app/(committee)/committee/words";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { setCommitteeRuleAction } from "@/lib/access/actions";

/**
 * The organisation's committee settings: how a request is decided (one member, or a majority of
 * the committee) and the target, in days from submission to decision, that the inbox's clock
 * counts against. On failure focus goes to the first field the server names.
 */
export function CommitteeRuleForm(props: { orgSlug: string; rule: DecisionRule; targetDays: number }) {
  const save = useDraftAction(setCommitteeRuleAction);
  const [rule, setRule] = useState<DecisionRule>(props.rule);
  const [targetDays, setTargetDays] = useState(String(props.targetDays));
  const firstRule = useRef<HTMLInputElement>(null);
  const fe = save.error?.fieldErrors;

  useEffect(() => {
    if (!save.error) return;
    if (save.error.fieldErrors?.rule) firstRule.current?.focus();
    else document.getElementById("committee-target-days")?.focus();
  }, [save.error]);

  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      aria-label="Committee settings"
      onSubmit={(event) => {
        event.preventDefault();
        save.submit({ orgSlug: props.orgSlug, rule, targetDays: Number(targetDays) });
      }}
    >
      <FormMessage error={save.error && !fe?.rule && !fe?.targetDays ? save.error.message : undefined} success={save.done ? "Committee settings saved." : undefined} />
      <RadioGroup name="rule" legend="How the committee decides" options={Object.entries(RULES) as [DecisionRule, string][]} value={rule} onChange={setRule} errors={fe?.rule} firstRef={firstRule} />
      <Field
        id="committee-target-days"
        name="targetDays"
        label="Target, in days from submission to decision"
        hint="The inbox flags a request as overdue after this many days. EGA's best practice is 14 days."
        type="number"
        inputMode="numeric"
        min={1}
        max={365}
        step={1}
        required
        value={targetDays}
        onChange={(e) => setTargetDays(e.target.value)}
        errors={fe?.targetDays}
      />
      <div>
        <SubmitButton pending={save.pending}>Save committee settings</SubmitButton>
      </div>
    </form>
  );
}
