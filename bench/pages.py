"""Article text and titles from saved news pages nobody here wrote: harness `auto` vs trafilatura.

The pages and their expected bodies and titles come from the newspaper4k sdist's test data
(tests/data/html, tests/data/txt, tests/data/metadata); bench/run.sh (BENCH_ONLY=pages) fetches it.

    python3 bench/pages.py pick DATA PAGES_DIR          # copy the pages that have an expected body
    VENV/bin/python bench/pages.py trafilatura PAGES_DIR OUT.jsonl [precision]   # stderr: seconds, then a summary
    python3 bench/pages.py score DATA RESULT.json TOOL=OUT.jsonl[:SECONDS] ...   # the first tool is harness
    python3 bench/pages.py markdown RESULT.json

trafilatura runs at its defaults (comments left out, since they are not the article) and with
favor_precision=True, its setting for less boilerplate.

Per page, with lines compared after collapsing spaces (a line counts when it occurs in the other
side's text, so that different line breaking is not punished):
  recall    = expected body lines found in the output
  precision = output lines found in the expected body (the rest is boilerplate)
  F1, and whether the title equals the expected one.
Means are over pages (a page with no output has precision 0 and recall 0).
"""
import json, os, shutil, sys, time, unicodedata


def norm(s):
    return " ".join(unicodedata.normalize("NFKC", s).split())


def lines(text):
    return [l for l in (norm(x) for x in (text or "").splitlines()) if l]


def expected(data):
    """page stem -> (body, title or None) for pages with an expected body."""
    out = {}
    for name in sorted(os.listdir(f"{data}/html")):
        stem = name[:-5]
        txt = f"{data}/txt/{stem}.txt"
        if not name.endswith(".html") or not os.path.exists(txt):
            continue
        meta = f"{data}/metadata/{stem}.json"
        title = json.load(open(meta, encoding="utf-8")).get("title") if os.path.exists(meta) else None
        out[stem] = (open(txt, encoding="utf-8").read(), title)
    return out


def pick(data, dest):
    os.makedirs(dest, exist_ok=True)
    for stem in expected(data):
        shutil.copyfile(f"{data}/html/{stem}.html", f"{dest}/{stem}.html")


def run_trafilatura(pages, dest, mode="default"):
    import trafilatura
    t0 = time.time()
    with open(dest, "w", encoding="utf-8") as f:
        for name in sorted(os.listdir(pages)):
            html = open(f"{pages}/{name}", "rb").read()
            doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=mode == "precision")
            if doc is not None and hasattr(doc, "as_dict"):
                doc = doc.as_dict()
            doc = doc or {}
            f.write(json.dumps({"id": name, "title": doc.get("title"), "body": doc.get("text")}, ensure_ascii=False) + "\n")
    print(f"{time.time() - t0:.2f}", file=sys.stderr)
    print(f"trafilatura {trafilatura.__version__}: {len(os.listdir(pages))} pages in {time.time() - t0:.2f} s", file=sys.stderr)


def page_scores(body, title, out):
    exp, got = lines(body), lines(out.get("body"))
    exp_text, got_text = " ".join(exp), " ".join(got)
    found = sum(1 for l in exp if l in got_text)
    clean = sum(1 for l in got if l in exp_text)
    r = found / len(exp) if exp else 0.0
    p = clean / len(got) if got else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    row = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "expected_lines": len(exp), "output_lines": len(got)}
    if title is not None:
        row["title_exact"] = norm(out.get("title") or "") == norm(title)
    return row


def load(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        rows[os.path.basename(r["id"].split("!")[-1])[:-5]] = r
    return rows


def score(data, dest, *runs):
    exp = expected(data)
    tools, seconds = {}, {}
    for run in runs:
        tool, _, rest = run.partition("=")
        path, _, secs = rest.partition(":")
        tools[tool] = load(path)
        seconds[tool] = float(secs) if secs else None
    pages, summary = {}, {}
    for tool, outs in tools.items():
        for stem, (body, title) in exp.items():
            pages.setdefault(stem, {})[tool] = page_scores(body, title, outs.get(stem, {}))
        rows = [pages[s][tool] for s in exp]
        titled = [r for r in rows if "title_exact" in r]
        summary[tool] = {
            "precision": round(sum(r["precision"] for r in rows) / len(rows), 4),
            "recall": round(sum(r["recall"] for r in rows) / len(rows), 4),
            "f1": round(sum(r["f1"] for r in rows) / len(rows), 4),
            "titles_exact": f"{sum(r['title_exact'] for r in titled)}/{len(titled)}",
        }
    result = {"source": "newspaper4k==0.9.6 sdist tests/data (html, txt, metadata)", "pages": len(exp),
              "pages_with_title": sum(1 for b, t in exp.values() if t is not None),
              "mean_over_pages": summary,
              "f1_harness_ge_every_other": all(summary["harness"]["f1"] >= t["f1"] for t in summary.values()),
              "seconds": seconds,
              "seconds_note": "harness: the whole bin/prep run (store, stages, outputs); others: extraction in one Python process",
              "per_page": pages}
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(markdown(result))


def markdown(result):
    s = result["mean_over_pages"]
    out = [f"{result['pages']} pages ({result['pages_with_title']} with an expected title), {result['source']}; means over pages.", "",
           "| tool | precision | recall | F1 | exact titles |", "|---|---|---|---|---|"]
    for tool, t in s.items():
        out.append(f"| {tool} | {t['precision']:.3f} | {t['recall']:.3f} | {t['f1']:.3f} | {t['titles_exact']} |")
    out += ["", "| page | " + " | ".join(f"{tool} P/R/F1" for tool in s) + " |", "|---" * (len(s) + 1) + "|"]
    for stem, row in result["per_page"].items():
        out.append(f"| {stem} | " + " | ".join(f"{row[t]['precision']:.2f} / {row[t]['recall']:.2f} / {row[t]['f1']:.2f}" for t in s) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "pick":
        pick(*args)
    elif mode == "trafilatura":
        run_trafilatura(*args)
    elif mode == "score":
        score(*args)
    elif mode == "markdown":
        print(markdown(json.load(open(args[0], encoding="utf-8"))))
    else:
        sys.exit(f"unknown mode {mode}: pick, trafilatura, score or markdown")
