#!/usr/bin/env python3
"""The "plain Python script" baseline: what a user writes by hand to turn the
AI Hub 낚시성 기사 탐지 데이터 label zips into JSONL + CSV.

    python3 bench/python_convert.py DATA_DIR OUT_DIR

Walks DATA_DIR, opens every *.zip under a 02.라벨링데이터 folder with zipfile
(split parts X.zip.partN are skipped, not joined), json.loads each *_L.json
entry and writes OUT_DIR/records.jsonl and OUT_DIR/records.csv (utf-8-sig).

The last line printed is
    records=N json_bytes=B seconds=S mb_per_s=X
where B is the total uncompressed size of the *_L.json entries read, S the
wall time of the whole conversion, and X = B / 1,000,000 / S.
Standard library only.
"""

import csv
import json
import os
import sys
import time
import zipfile

FIELDS = ["id", "split", "part", "type", "category", "title", "body", "label"]
LABELS = {0: "clickbait", 1: "normal"}


def split_of(path):
    parts = path.replace("\\", "/").split("/")
    if "Training" in parts:
        return "train"
    if "Validation" in parts:
        return "test"
    return ""


def convert(doc, split):
    src = doc["sourceDataInfo"]
    lbl = doc["labeledDataInfo"]
    title = lbl.get("newTitle")
    if title is None:
        title = src["newsTitle"]
    if "processSentenceInfo" in lbl:
        body = " ".join(s["sentenceContent"] for s in lbl["processSentenceInfo"])
    else:
        body = " ".join(s["sentenceContent"] for s in src["sentenceInfo"])
    return {
        "id": src["newsID"],
        "split": split,
        "part": src["partNum"],
        "type": src["processPattern"],
        "category": src["newsCategory"],
        "title": title,
        "body": body,
        "label": LABELS[lbl["clickbaitClass"]],
    }


def main():
    if len(sys.argv) != 3:
        print("usage: python3 bench/python_convert.py DATA_DIR OUT_DIR", file=sys.stderr)
        sys.exit(2)
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    os.makedirs(out_dir, exist_ok=True)

    zips = []
    for dirpath, dirnames, filenames in os.walk(data_dir):
        dirnames.sort()
        if "02.라벨링데이터" not in dirpath.replace("\\", "/").split("/"):
            continue
        for name in sorted(filenames):
            if name.endswith(".zip"):  # X.zip.part0 etc. do not match
                zips.append(os.path.join(dirpath, name))

    n = 0
    json_bytes = 0
    with open(os.path.join(out_dir, "records.jsonl"), "w", encoding="utf-8") as fj, \
            open(os.path.join(out_dir, "records.csv"), "w", encoding="utf-8-sig", newline="") as fc:
        writer = csv.DictWriter(fc, fieldnames=FIELDS)
        writer.writeheader()
        for zpath in zips:
            split = split_of(zpath)
            with zipfile.ZipFile(zpath) as z:
                for info in z.infolist():
                    if not info.filename.endswith("_L.json"):
                        continue
                    raw = z.read(info)
                    json_bytes += len(raw)
                    rec = convert(json.loads(raw.decode("utf-8")), split)
                    fj.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    writer.writerow(rec)
                    n += 1

    seconds = time.perf_counter() - start
    mbps = json_bytes / 1e6 / seconds if seconds > 0 else 0.0
    print(f"records={n} json_bytes={json_bytes} seconds={seconds:.3f} mb_per_s={mbps:.2f}")


if __name__ == "__main__":
    main()
