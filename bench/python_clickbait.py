#!/usr/bin/env python3
"""The plain-Python anchor of the whole-spec benchmark (issue 11): what a user
writes by hand to do everything specs/clickbait.yaml does, in one process with
the standard library only.

    python3 bench/python_clickbait.py DATA_DIR OUT_DIR

Stages, as harness runs them (Sources/Prep/Ingest.swift, Sources/Prep/Stages/*.swift):
  ingest    every *_L.json entry of every zip directly under a 02.라벨링데이터
            folder (X.zip.part<offset> files joined in numeric order of the
            offset), mapped like the spec's `record:` section; Training -> train,
            Validation -> test
  refine    title, subtitle, body: unescape_quotes, newlines_to_spaces,
            collapse_spaces, strip, nulls
  drop      required id/title/body/label, max_null_fraction 0.5, duplicates on
            title+body (NFC, lower case, whitespace collapsed); a train row equal
            to a test row is the copy removed
  sample    1000 ids per processPattern, 90/10 into train/valid, seed 42
  instruct  alpaca instruction/input/output
  augment   train grown to 2x with two paraphrased instructions and shuffled
            body sentences, seed 7
  write     OUT_DIR/<split>.jsonl, <split>.csv (utf-8-sig), <split>.alpaca.jsonl

The sampler and augment use harness's seeded generator (SplitMix64 seeded with
seed ^ FNV-1a(key), Fisher-Yates with an unbiased below(n)), ported below, so
the same rows land in the same splits. OUT_DIR/ids.json holds the sorted ids of
each split; the last line printed is

    python_clickbait: seconds=S train=N valid=N test=N
"""

import csv
import io
import json
import os
import re
import sys
import time
import unicodedata
import zipfile

START = time.perf_counter()

NULLS = {"", "null", "NULL", "None"}
SPLIT_BY_PATH = [("Training", "train"), ("Validation", "test")]
DEFAULT_SPLIT = "train"
LABEL_DIR = unicodedata.normalize("NFC", "02.라벨링데이터")
COLUMNS = ["id", "part", "type", "category", "title", "subtitle", "body", "label"]
LABELS = {"0": "clickbait", "1": "normal"}

INSTRUCTION = "다음 뉴스 기사의 제목이 낚시성인지 판단하세요. '낚시성 기사' 또는 '정상 기사'로 답하세요."
VERBALIZE = {"clickbait": "낚시성 기사", "normal": "정상 기사"}
PARAPHRASES = [
    "이 기사 제목이 본문 내용과 맞지 않거나 과장되었는지 판단하세요. '낚시성 기사' 또는 '정상 기사'로 답하세요.",
    "제목과 본문을 읽고 낚시성 기사 여부를 분류하세요. '낚시성 기사' 또는 '정상 기사'로 답하세요.",
]
OUT_COLUMNS = COLUMNS + ["instruction", "input", "output"]
META = ["_split", "_archive", "_entry", "_origin"]

MASK = (1 << 64) - 1


class SeededRandom:
    """harness's Support/SeededRandom.swift: SplitMix64; a text key is mixed in with FNV-1a."""

    def __init__(self, seed, key=None):
        if key is not None:
            h = 0xcbf29ce484222325
            for b in key.encode("utf-8"):
                h = ((h ^ b) * 0x100000001b3) & MASK
            seed ^= h
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        limit = MASK - MASK % n
        while True:
            v = self.next()
            if v < limit:
                return v % n

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


# ---------------------------------------------------------------- ingest

PART = re.compile(r"^(.*)\.part(\d+)$")


def label_zips(root):
    """[(logical path relative to root, [real files])], sorted by path; split parts joined."""
    plain, split = [], {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            full = os.path.join(dirpath, f)
            rel = unicodedata.normalize("NFC", os.path.relpath(full, root).replace(os.sep, "/"))
            m = PART.match(rel)
            if m:
                split.setdefault(m.group(1), []).append((int(m.group(2)), full))
            else:
                plain.append((rel, [full]))
    for logical, pieces in split.items():
        pieces.sort()
        expected = 0
        for offset, full in pieces:
            if offset != expected:
                sys.exit(f"{logical}: part {offset} where part {expected} was expected (a part is missing)")
            expected += os.path.getsize(full)
        plain.append((logical, [full for _, full in pieces]))
    chosen = []
    for rel, files in plain:
        comps = rel.split("/")
        if comps[-1].endswith(".zip") and len(comps) >= 2 and comps[-2] == LABEL_DIR:
            chosen.append((rel, files))
    chosen.sort()
    return chosen


def entry_name(info):
    if info.flag_bits & 0x800:
        name = info.filename
    else:
        raw = info.filename.encode("cp437")
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            name = raw.decode("cp949", errors="replace")
    return unicodedata.normalize("NFC", name)


def split_of(archive, entry):
    comps = [c for c in re.split(r"[/!]", archive + "/" + entry) if c]
    for key, split in SPLIT_BY_PATH:
        for c in comps:
            if c == key or key in re.split(r"[_-]", c.split(".")[0]):
                return split
    return DEFAULT_SPLIT


class FieldError(Exception):
    pass


def values(doc, path):
    """Every value a path like a.b[*].c reaches (harness FieldPath)."""
    cur = [doc]
    for step in path:
        nxt = []
        for v in cur:
            if step == "*":
                if isinstance(v, list):
                    nxt.extend(v)
            elif isinstance(v, dict) and step in v:
                nxt.append(v[step])
        cur = nxt
        if not cur:
            break
    return cur


def text(v):
    """JSON scalar as harness writes it (numbers keep their source text: parse_int/parse_float=str)."""
    if v is None or isinstance(v, (list, dict)):
        return None
    if v is True:
        return "true"
    if v is False:
        return "false"
    return v


P_ID = ["sourceDataInfo", "newsID"]
P_PART = ["sourceDataInfo", "partNum"]
P_TYPE = ["sourceDataInfo", "processPattern"]
P_CAT = ["sourceDataInfo", "newsCategory"]
P_NEWTITLE = ["labeledDataInfo", "newTitle"]
P_TITLE = ["sourceDataInfo", "newsTitle"]
P_SUB = ["sourceDataInfo", "newsSubTitle"]
P_BODY2 = ["labeledDataInfo", "processSentenceInfo", "*", "sentenceContent"]
P_BODY1 = ["sourceDataInfo", "sentenceInfo", "*", "sentenceContent"]
P_LABEL = ["labeledDataInfo", "clickbaitClass"]


def scalar(doc, path, field, optional=False):
    found = values(doc, path)
    if not found:
        if optional:
            return None
        raise FieldError(f"{field}: {'.'.join(path)} matched nothing")
    v = found[0]
    if isinstance(v, (list, dict)):
        raise FieldError(f"{field}: {'.'.join(path)} is not a scalar")
    return text(v)


def joined(doc, path):
    """(found anything, joined text or None)"""
    found = values(doc, path)
    parts = [t for t in map(text, found) if t is not None]
    return bool(found), (" ".join(parts) if parts else None)


def first_title(doc):
    """{first: [labeledDataInfo.newTitle, sourceDataInfo.newsTitle]}: the first non-null value."""
    present = False
    for p in (P_NEWTITLE, P_TITLE):
        found = values(doc, p)
        if not found:
            continue
        present = True
        if isinstance(found[0], (list, dict)):
            raise FieldError(f"title: {'.'.join(p)} is not a scalar")
        t = text(found[0])
        if t is not None and t not in NULLS:
            return t
    if not present:
        raise FieldError("title: labeledDataInfo.newTitle matched nothing")
    return None


def to_record(doc):
    title = first_title(doc)
    found2, body = joined(doc, P_BODY2)
    if body is None:
        found1, body = joined(doc, P_BODY1)
        if not found1 and body is None:
            raise FieldError("body: sourceDataInfo.sentenceInfo[*].sentenceContent matched nothing")
    label = scalar(doc, P_LABEL, "label")
    if label is not None:
        if label not in LABELS:
            raise FieldError(f"label: unmapped value {label}")
        label = LABELS[label]
    rec = {
        "id": scalar(doc, P_ID, "id"),
        "part": scalar(doc, P_PART, "part"),
        "type": scalar(doc, P_TYPE, "type"),
        "category": scalar(doc, P_CAT, "category"),
        "title": title,
        "subtitle": scalar(doc, P_SUB, "subtitle", optional=True),
        "body": body,
        "label": label,
    }
    for k, v in rec.items():
        if v in NULLS:
            rec[k] = None
    return rec


def ingest(root):
    records = []
    for rel, files in label_zips(root):
        if len(files) == 1:
            zf = zipfile.ZipFile(files[0])
        else:
            data = b"".join(open(f, "rb").read() for f in files)
            zf = zipfile.ZipFile(io.BytesIO(data))
        with zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                name = entry_name(info)
                if not name.rsplit("/", 1)[-1].endswith("_L.json"):
                    continue
                raw = zf.read(info)
                if raw[:3] == b"\xef\xbb\xbf":
                    raw = raw[3:]
                try:
                    doc = json.loads(raw, parse_int=str, parse_float=str)
                except ValueError as e:
                    sys.exit(f"{rel}!{name}: malformed JSON: {e}")
                try:
                    rec = to_record(doc)
                except FieldError as e:
                    sys.exit(f"{rel}!{name}: {e}")
                if rec["id"] is None:
                    continue  # harness: skipped, "id is null"
                rec["_split"] = split_of(rel, name)
                rec["_archive"] = rel
                rec["_entry"] = name
                records.append(rec)
    return records


# ---------------------------------------------------------------- refine

SPACES = re.compile("[ \t\u00a0\u3000]{2,}")
# The Unicode Z* characters (separators: Zs, Zl, Zp).
Z_CHARS = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# Foundation's CharacterSet.whitespacesAndNewlines (strip): Z*, U+0009-U+000D, U+0085.
# (str.strip() would also strip U+001C-U+001F.)
WHITESPACE = Z_CHARS + "\t\n\x0b\x0c\r\x85"


def clean(t):
    t = t.replace('\\"', '"').replace("\\'", "'")
    t = t.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    t = SPACES.sub(" ", t)
    t = t.strip(WHITESPACE)
    return None if t in NULLS else t


def refine(records):
    for r in records:
        for f in ("title", "subtitle", "body"):
            if r[f] is not None:
                r[f] = clean(r[f])
    return records


# ---------------------------------------------------------------- drop

REQUIRED = ["id", "title", "body", "label"]
NULL_FIELDS = [c for c in COLUMNS if c != "id"]


def norm(t):
    return " ".join(unicodedata.normalize("NFC", t).lower().split())


def drop(records):
    def ok(r):
        if any(not r[f] for f in REQUIRED):
            return False
        return sum(1 for f in NULL_FIELDS if not r[f]) / len(NULL_FIELDS) <= 0.5

    passing = [r for r in records if ok(r)]
    keys = [norm(r["title"] or "") + "\x1f" + norm(r["body"] or "") for r in passing]
    held_out = {k for r, k in zip(passing, keys) if r["_split"] != "train"}
    seen, kept = set(), []
    for r, k in zip(passing, keys):
        training = r["_split"] == "train"
        if training and k in held_out:
            continue
        tagged = ("t" if training else "h") + k
        if tagged in seen:
            continue
        seen.add(tagged)
        kept.append(r)
    return kept


# ---------------------------------------------------------------- sample

def apportion(n, ratios):
    exact = [n * r for r in ratios]
    parts = [int(e // 1) for e in exact]
    left = n - sum(parts)
    order = sorted(range(len(ratios)), key=lambda i: (exact[i] - parts[i], -i), reverse=True)
    for i in order:
        if left > 0:
            parts[i] += 1
            left -= 1
    return parts


def sample(records, per_class=1000, splits=(("train", 0.9), ("valid", 0.1)), seed=42):
    passthrough, groups = [], {}
    for r in records:
        if r["_split"] == "train":
            groups.setdefault(r["id"], []).append(r)
        else:
            passthrough.append(r)
    by_class = {}
    for i, rows in groups.items():
        cls = rows[0]["type"]
        by_class.setdefault("(null)" if cls is None else cls, []).append(i)
    sampled = {name: [] for name, _ in splits}
    for cls in sorted(by_class):
        ids = sorted(by_class[cls])
        SeededRandom(seed, cls).shuffle(ids)
        take = min(per_class, len(ids))
        counts = apportion(take, [r for _, r in splits])
        offset = 0
        for (name, _), n in zip(splits, counts):
            for i in ids[offset:offset + n]:
                for r in groups[i]:
                    r["_split"] = name
                    sampled[name].append(r)
            offset += n
    out = passthrough
    for name, _ in splits:
        rows = sampled[name]
        SeededRandom(seed, "order:" + name).shuffle(rows)
        out += rows
    return out


# ---------------------------------------------------------------- instruct, augment

def instruct(r, instruction=INSTRUCTION):
    label = r["label"]
    r["instruction"] = instruction
    r["input"] = f"제목: {r['title'] or ''}\n본문: {r['body'] or ''}"
    r["output"] = VERBALIZE.get(label, label) if label is not None else ""
    return r


# ICU's \s (NSRegularExpression): [\t\n\f\r\p{Z}]; Python's \s would also take \v, \x1c-\x1f, \x85.
SENTENCE_END = re.compile("(?<=[.!?。])[" + re.escape(Z_CHARS + "\t\n\f\r") + "]+")


def shuffle_sentences(body, rng):
    s = [x for x in SENTENCE_END.split(body) if x]
    if len(s) <= 1:
        return body
    rng.shuffle(s)
    return " ".join(s)


def augment(records, factor=2.0, seed=7):
    originals = [r for r in records if r["_split"] == "train" and r.get("_origin") is None]
    goal = int(round(len(originals) * factor))
    rng = SeededRandom(seed)
    out, made, rnd = list(records), 0, 1
    while len(originals) + made < goal:
        order = list(range(len(originals)))
        rng.shuffle(order)
        for i in order:
            if len(originals) + made >= goal:
                break
            r = dict(originals[i])
            r["_origin"] = r["id"]
            r["id"] = f"{r['id']}#aug{rnd}"
            if r["body"] is not None:
                r["body"] = shuffle_sentences(r["body"], rng)
            instruct(r, PARAPHRASES[made % len(PARAPHRASES)])
            out.append(r)
            made += 1
        rnd += 1
    return out


# ---------------------------------------------------------------- write

def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def write(records, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    by_split = {}
    for r in records:
        by_split.setdefault(r["_split"], []).append(r)
    for split, rows in by_split.items():
        with open(os.path.join(out_dir, split + ".jsonl"), "w", encoding="utf-8", newline="") as jf, \
             open(os.path.join(out_dir, split + ".alpaca.jsonl"), "w", encoding="utf-8", newline="") as af, \
             open(os.path.join(out_dir, split + ".csv"), "w", encoding="utf-8-sig", newline="") as cf:
            w = csv.writer(cf, lineterminator="\r\n")
            w.writerow(OUT_COLUMNS + META)
            for r in rows:
                line = {c: r[c] for c in OUT_COLUMNS}
                for m in META:
                    if r.get(m) is not None:
                        line[m] = r[m]
                jf.write(dumps(line) + "\n")
                af.write(dumps({"instruction": r["instruction"], "input": r["input"], "output": r["output"]}) + "\n")
                w.writerow(["" if r.get(c) is None else r[c] for c in OUT_COLUMNS + META])
    ids = {split: sorted(r["id"] for r in rows) for split, rows in sorted(by_split.items())}
    with open(os.path.join(out_dir, "ids.json"), "w", encoding="utf-8") as f:
        json.dump(ids, f, ensure_ascii=False)
    return by_split


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: python_clickbait.py DATA_DIR OUT_DIR")
    root, out_dir = sys.argv[1], sys.argv[2]
    records = ingest(root)
    if not records:
        sys.exit(f"no *_L.json entries in label zips under {root}")
    records = refine(records)
    records = drop(records)
    records = sample(records)
    records = [instruct(r) for r in records]
    records = augment(records)
    by_split = write(records, out_dir)
    counts = " ".join(f"{s}={len(by_split.get(s, []))}" for s in ("train", "valid", "test"))
    print(f"python_clickbait: seconds={time.perf_counter() - START:.2f} {counts}")


if __name__ == "__main__":
    main()
