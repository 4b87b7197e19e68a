#!/usr/bin/env python3
"""A plain sequential scoring client for one llama-server, standard library only (urllib).

The baseline for `bin/eval score --backend openai` with a fleet (bench/run.sh, section fleet):
one request after another, as lm-evaluation-harness's `gguf` backend sends them.

  --mode echo    what lm-eval's gguf backend does: one POST /v1/completions per (context, choice)
                 with prompt = context + choice, echo: true, logprobs: 10, max_tokens: 1,
                 temperature: 0, and the continuation's log-probability read from
                 choices[0].logprobs.token_logprobs (lm-eval's get_result). llama-server accepts
                 `echo` but answers with the generated token's log-probabilities only, so on
                 llama-server this measures the request pattern and yields no scores (reported).
  --mode forced  what the harness does on llama-server, in Python: per scored token one
                 POST /completion with the tokens before it, n_predict 1 and a +10000 logit bias
                 on that token (see Sources/Scoring/RemoteScorer.swift), so the scores are real.

Items: the prepared split's JSONL rendered with --prompt (Python str.format over the record's
fields) and the choices given with --choice LABEL=TEXT. Prints one JSON object.

  python3 bench/fleet_client.py --url http://127.0.0.1:8080 --jsonl out/clickbait/valid.jsonl \
      --prompt '{instruction}\n\n제목: {title}\n답:' --choice 'clickbait= 낚시성 기사' \
      --choice 'normal= 정상 기사' --limit 48 --mode forced
"""
import argparse
import json
import time
import urllib.request


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def lm_eval_get_result(logprobs, context_length):
    """lm-eval's gguf get_result: the summed log-probabilities of the tokens after the context."""
    offsets, tokens, values = logprobs["text_offset"], logprobs["tokens"], logprobs["token_logprobs"]
    idx = 0
    while offsets[idx] < context_length:
        idx += 1
    return sum(values[idx:-1]), len(tokens) - idx - 1


def echo_scores(base, context, choices):
    scores = []
    for choice in choices:
        answer = post(base + "/v1/completions", {"prompt": context + choice, "logprobs": 10, "temperature": 0.0,
                                                 "max_tokens": 1, "echo": True})
        logprobs = (answer.get("choices") or [{}])[0].get("logprobs") or {}
        if not logprobs.get("token_logprobs"):
            scores.append(None)  # llama-server: no prompt log-probabilities
            continue
        total, count = lm_eval_get_result(logprobs, len(context))
        scores.append(total / max(count, 1))
    return scores


def ends_inside_character(piece):
    """llama-server withholds the probability of a token whose bytes end inside a UTF-8 character."""
    n = len(piece)
    for i in range(1, min(4, n) + 1):
        c = piece[n - i]
        if (c & 0xE0 == 0xC0 and i < 2) or (c & 0xF0 == 0xE0 and i < 3) or (c & 0xF8 == 0xF0 and i < 4):
            return True
    return False


class Forced:
    def __init__(self, base):
        self.base = base
        self.safe = post(base + "/tokenize", {"content": ".", "with_pieces": True})["tokens"][0]["id"]

    def tokenize(self, text):
        tokens = post(self.base + "/tokenize", {"content": text, "add_special": True, "parse_special": False, "with_pieces": True})["tokens"]
        pieces = [t["piece"].encode() if isinstance(t["piece"], str) else bytes(t["piece"]) for t in tokens]
        return [t["id"] for t in tokens], pieces

    def probability(self, context, bias, top):
        answer = post(self.base + "/completion", {
            "prompt": context, "n_predict": 1, "n_probs": top, "temperature": 0, "samplers": [],
            "logit_bias": [[bias, 10000]], "cache_prompt": True, "response_fields": ["completion_probabilities"]})
        return answer["completion_probabilities"][0]

    def logprob(self, context, target, piece):
        if not ends_inside_character(piece):
            p = self.probability(context, target, 1)
            if p["id"] == target:
                return p["logprob"]
        for tier in (100, 1000000):
            p = self.probability(context, self.safe, tier)
            hit = [t["logprob"] for t in p["top_logprobs"] if t["id"] == target]
            if hit:
                return hit[0]
        raise RuntimeError(f"token {target} missing from the server's log-probabilities")

    def scores(self, context, choices):
        seqs = [self.tokenize(context + c) for c in choices]
        shortest = min(len(ids) for ids, _ in seqs)
        prefix = 0
        while prefix < shortest and all(ids[prefix] == seqs[0][0][prefix] for ids, _ in seqs):
            prefix += 1
        prefix = min(prefix, shortest - 1)
        out = []
        for ids, pieces in seqs:
            total = sum(self.logprob(ids[:pos], ids[pos], pieces[pos]) for pos in range(prefix, len(ids)))
            out.append(total / (len(ids) - prefix))  # normalize: mean, as the clickbait spec
        return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--jsonl", required=True)
    ap.add_argument("--prompt", required=True, help="str.format template over the record's fields; \\n is a newline")
    ap.add_argument("--choice", action="append", required=True, metavar="LABEL=TEXT")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--mode", choices=["echo", "forced"], default="echo")
    args = ap.parse_args()
    template = args.prompt.replace("\\n", "\n")
    labels, texts = zip(*(c.split("=", 1) for c in args.choice))
    records = [json.loads(line) for line in open(args.jsonl, encoding="utf-8") if line.strip()][: args.limit]
    base = args.url.rstrip("/")
    forced = Forced(base) if args.mode == "forced" else None
    predictions, requests_without_scores = {}, 0
    start = time.monotonic()
    for r in records:
        context = template.format(**r)
        scores = forced.scores(context, list(texts)) if forced else echo_scores(base, context, list(texts))
        if any(s is None for s in scores):
            requests_without_scores += len(texts)
            continue
        predictions[r["id"]] = labels[max(range(len(scores)), key=lambda i: (scores[i], -i))]
    seconds = time.monotonic() - start
    print(json.dumps({"mode": args.mode, "items": len(records), "seconds": round(seconds, 3),
                      "items_per_s": round(len(records) / seconds, 3) if seconds else None,
                      "scored": len(predictions), "answers_without_prompt_logprobs": requests_without_scores,
                      "predictions": predictions}, ensure_ascii=False))


if __name__ == "__main__":
    main()
