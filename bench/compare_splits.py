#!/usr/bin/env python3
"""Checks that two prepared output folders keep the same rows per split.

    python3 bench/compare_splits.py HARNESS_OUT_DIR PY_OUT_DIR

Reads every <split>.jsonl of both folders (not records.jsonl, stages/ or the
<split>.<format>.jsonl instruction files) and compares, per split, the row
count and the multiset of ids (augmented copies count through their
`<id>#aug<k>` ids). Prints one line of JSON:

    {"identical": true, "splits": {"train": {"harness": N, "python": N, "same_ids": true}, ...},
     "same_bytes": {"train": true, ...}}

`same_bytes` (whether the JSONL files are byte for byte equal) is shown for
information only; the verdict is on counts and ids. Exits 1 on a mismatch.
"""

import hashlib
import json
import os
import sys
from collections import Counter


def split_files(folder):
    out = {}
    for name in os.listdir(folder):
        stem, ext = os.path.splitext(name)
        if ext == ".jsonl" and "." not in stem and stem != "records":
            out[stem] = os.path.join(folder, name)
    return out


def read(path):
    ids, h = Counter(), hashlib.sha256()
    with open(path, "rb") as f:
        for line in f:
            h.update(line)
            if line.strip():
                ids[json.loads(line)["id"]] += 1
    return ids, h.hexdigest()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare_splits.py HARNESS_OUT_DIR PY_OUT_DIR")
    a, b = split_files(sys.argv[1]), split_files(sys.argv[2])
    splits, same_bytes, identical = {}, {}, True
    for split in sorted(set(a) | set(b)):
        ia, da = read(a[split]) if split in a else (Counter(), None)
        ib, db = read(b[split]) if split in b else (Counter(), None)
        na, nb = sum(ia.values()), sum(ib.values())
        entry = {"harness": na, "python": nb, "same_ids": ia == ib}
        if ia != ib:
            only_a, only_b = ia - ib, ib - ia
            entry["only_harness"] = sum(only_a.values())
            entry["only_python"] = sum(only_b.values())
            entry["examples"] = {"only_harness": sorted(only_a)[:5], "only_python": sorted(only_b)[:5]}
            identical = False
        if split not in a or split not in b:
            entry["missing_in"] = "harness" if split not in a else "python"
            identical = False
        splits[split] = entry
        same_bytes[split] = da is not None and da == db
    if not splits:
        identical = False
    print(json.dumps({"identical": identical, "splits": splits, "same_bytes": same_bytes}, ensure_ascii=False))
    sys.exit(0 if identical else 1)


if __name__ == "__main__":
    main()
