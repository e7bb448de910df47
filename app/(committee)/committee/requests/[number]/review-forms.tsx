"use client";

import { useEffect, useRef, useState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/field";
import { RadioGroup } from "@/app/_components/radio-group";
import { voteText } from "@/app/(committee)/committee/words";
import { TextArea } from "@/app/(committee)/committee/requests/[number]/text-area";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { addNoteAction, castVoteAction, postMessageAction, startReviewAction } from "@/lib/access/actions";
import { VOTES, type Vote } from "@/lib/access/schema";
import type { ActionResult } from "@/lib/handler";

/** New → in review: the committee says it has picked the request up (the researcher sees it). */
export function StartReviewButton({ number }: { number: string }) {
  const start = useDraftAction(startReviewAction);
  return (
    <div className="flex flex-col gap-2">
      <FormMessage error={start.error?.message} success={start.done ? "Review started." : undefined} />
      <button
        type="button"
        disabled={start.pending}
        onClick={() => start.submit({ number })}
        className="self-start rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:hover:bg-sky-500"
      >
        {start.pending ? "Working…" : "Start review"}
      </button>
    </div>
  );
}

const POSTS = {
  message: {
    label: "Message to the researcher",
    hint: "The researcher reads it on their request and is sent an e-mail.",
    button: "Send message",
    sent: "Message sent.",
  },
  note: {
    label: "Internal note",
    hint: "Only the committee reads internal notes: they are never shown to the researcher.",
    button: "Add internal note",
    sent: "Note added.",
  },
} as const;

/**
 * A message of the conversation with the researcher, or an internal note: the same form, with
 * words that say plainly who will read it. Server pages cannot hand a client component an
 * action, so the kind chooses it here.
 */
export function PostForm({ number, kind }: { number: string; kind: keyof typeof POSTS }) {
  const words = POSTS[kind];
  const run: (input: unknown) => Promise<ActionResult<unknown>> = kind === "message" ? postMessageAction : addNoteAction;
  const post = useDraftAction(run);
  const [text, setText] = useState("");
  const area = useRef<HTMLTextAreaElement>(null);
  const fieldErrors = post.error?.fieldErrors?.text;

  useEffect(() => {
    if (post.error) area.current?.focus();
  }, [post.error]);
  useEffect(() => {
    if (post.done) setText("");
  }, [post.done]);

  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      aria-label={words.label}
      onSubmit={(event) => {
        event.preventDefault();
        post.submit({ number, text });
      }}
    >
      <FormMessage error={post.error && !fieldErrors ? post.error.message : undefined} success={post.done && !text ? words.sent : undefined} />
      <TextArea id={`${kind}-text`} name="text" label={words.label} hint={words.hint} ref={area} value={text} onChange={(e) => setText(e.target.value)} errors={fieldErrors} />
      <div>
        <SubmitButton pending={post.pending}>{words.button}</SubmitButton>
      </div>
    </form>
  );
}

/**
 * The member's vote with its rationale; voting again replaces the vote (each vote is kept in the
 * request's history). Other committee members read votes; the researcher does not.
 */
export function VoteForm({ number, current }: { number: string; current: { vote: string; rationale: string } | null }) {
  const cast = useDraftAction(castVoteAction);
  const [vote, setVote] = useState<Vote | undefined>(current && current.vote in VOTES ? (current.vote as Vote) : undefined);
  const [rationale, setRationale] = useState(current?.rationale ?? "");
  const first = useRef<HTMLInputElement>(null);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const fe = cast.error?.fieldErrors;

  useEffect(() => {
    if (!cast.error) return;
    if (cast.error.fieldErrors?.vote) first.current?.focus();
    else rationaleRef.current?.focus();
  }, [cast.error]);

  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      aria-label="Your vote"
      onSubmit={(event) => {
        event.preventDefault();
        cast.submit({ number, vote, rationale });
      }}
    >
      <FormMessage error={cast.error && !fe?.vote && !fe?.rationale ? cast.error.message : undefined} success={cast.done ? `Vote recorded: ${vote ? voteText(vote) : ""}.` : undefined} />
      <RadioGroup name="vote" legend="Your vote" options={Object.entries(VOTES) as [Vote, string][]} value={vote} onChange={setVote} errors={fe?.vote} firstRef={first} />
      <TextArea
        id="vote-rationale"
        name="rationale"
        label="Rationale"
        hint="Why you vote so, in at least 10 characters. The committee reads it; the researcher does not."
        ref={rationaleRef}
        value={rationale}
        onChange={(e) => setRationale(e.target.value)}
        errors={fe?.rationale}
      />
      <div>
        <SubmitButton pending={cast.pending}>{current ? "Change vote" : "Cast vote"}</SubmitButton>
      </div>
    </form>
  );
}
