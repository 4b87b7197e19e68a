/// Python (standard library only) that reads the fixtures and outputs on its own, so the CLI
/// tests compare `prep` against an independent reading rather than against numbers copied from it.
enum FixtureScripts {
    /// Walks `argv[1]` for `**/02.라벨링데이터/*.zip`, reads every `*_L.json` entry with zipfile+json,
    /// and applies the clickbait spec's record rules, refine rules and drop rules by its own code.
    /// Prints {"entries": {split: n}, "ids": {split: [newsID]}, "kept": {split: {processPattern: n}},
    /// "dups": n, "dropped": n}.
    static let clickbait = #"""
import sys, os, json, zipfile, fnmatch, re, unicodedata
root = sys.argv[1]
NULLS = {"", "null", "NULL", "None"}
def get(d, *path):
    for k in path:
        if not isinstance(d, dict) or k not in d: return None
        d = d[k]
    return d
def text(v):
    if v is None: return None
    if isinstance(v, bool): return "true" if v else "false"
    return str(v)
def nn(v): return None if v is None or v in NULLS else v
def refine(v):   # unescape_quotes, newlines_to_spaces, collapse_spaces, strip, nulls
    if v is None: return None
    v = v.replace('\\"', '"').replace("\\'", "'")
    v = v.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    v = re.sub("[ \t\u00a0\u3000]{2,}", " ", v).strip()
    return None if v in NULLS else v
def joined(items):
    parts = [text(s.get("sentenceContent")) for s in (items or []) if isinstance(s, dict) and s.get("sentenceContent") is not None]
    return " ".join(parts) if parts else None
def norm(v): return " ".join(unicodedata.normalize("NFC", v or "").lower().split())
entries, ids, kept, seen = {}, {}, {}, set()
dups = dropped = 0
for dirpath, dirs, files in sorted(os.walk(root)):
    if os.path.basename(dirpath) != "02.라벨링데이터": continue
    parts = dirpath.split(os.sep)
    split = "train" if "Training" in parts else ("test" if "Validation" in parts else "train")
    for f in sorted(files):
        if not f.endswith(".zip"): continue
        with zipfile.ZipFile(os.path.join(dirpath, f)) as z:
            for info in z.infolist():
                if not fnmatch.fnmatch(info.filename.split("/")[-1], "*_L.json"): continue
                doc = json.loads(z.read(info))
                entries[split] = entries.get(split, 0) + 1
                s, l = doc.get("sourceDataInfo", {}), doc.get("labeledDataInfo", {})
                rec = {"id": nn(text(s.get("newsID"))), "part": nn(text(s.get("partNum"))), "type": nn(text(s.get("processPattern"))),
                       "category": nn(text(s.get("newsCategory")))}
                rec["title"] = next((t for t in (text(l.get("newTitle")), text(s.get("newsTitle"))) if t is not None and t not in NULLS), None)
                rec["subtitle"] = nn(text(s.get("newsSubTitle")))
                rec["body"] = nn(joined(l.get("processSentenceInfo")) or joined(s.get("sentenceInfo")))
                rec["label"] = {"0": "clickbait", "1": "normal"}.get(text(l.get("clickbaitClass")))
                ids.setdefault(split, []).append(rec["id"])
                for k in ("title", "subtitle", "body"): rec[k] = refine(rec[k])
                if any(not rec[k] for k in ("id", "title", "body", "label")): dropped += 1; continue
                if sum(1 for k in ("part", "type", "category", "title", "subtitle", "body", "label") if not rec[k]) / 7 > 0.5: dropped += 1; continue
                key = (norm(rec["title"]), norm(rec["body"]))
                if key in seen: dups += 1; continue
                seen.add(key)
                kept.setdefault(split, {})
                kept[split][rec["type"]] = kept[split].get(rec["type"], 0) + 1
print(json.dumps({"entries": entries, "ids": ids, "kept": kept, "dups": dups, "dropped": dropped}))
"""#

    /// Checks the CSV of each split named in argv[2:] under folder argv[1] against its JSONL with
    /// the csv module (strict RFC 4180 parsing, utf-8-sig). Prints {split: {"bom": bool,
    /// "header": [...], "rows": n, "jsonl_rows": n, "mismatches": n}}.
    static let csvCheck = #"""
import sys, csv, json
folder, result = sys.argv[1], {}
for split in sys.argv[2:]:
    raw = open(f"{folder}/{split}.csv", "rb").read()
    with open(f"{folder}/{split}.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    lines = [json.loads(l) for l in open(f"{folder}/{split}.jsonl", encoding="utf-8") if l.strip()]
    header, body = rows[0], rows[1:]
    mismatches = sum(1 for r, j in zip(body, lines) if len(r) != len(header) or any(r[i] != (j.get(h) if j.get(h) is not None else "") for i, h in enumerate(header)))
    result[split] = {"bom": raw.startswith(b"\xef\xbb\xbf"), "header": header, "rows": len(body), "jsonl_rows": len(lines),
                     "mismatches": mismatches + abs(len(body) - len(lines))}
print(json.dumps(result))
"""#

    /// Lists the `_L.json` entries of the zip argv[1] whose names were stored without the UTF-8 flag,
    /// decoded as CP949 (zipfile hands such names over as CP437). Prints [name].
    static let cp949Names = #"""
import sys, json, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = [(i.filename if i.flag_bits & 0x800 else i.filename.encode("cp437").decode("cp949")) for i in z.infolist()]
print(json.dumps(sorted(n for n in names if n.endswith("_L.json"))))
"""#
}
