#!/usr/bin/env python3
"""Writes a llama-perplexity --multiple-choice task file for the scorer benchmark.

Format (tools/perplexity/perplexity.cpp, multiple_choice_task::deserialize), little-endian:
u32 n_task; u32 offset[n_task]; per task: string question; mc1 = u32 n, n strings, n i32 labels;
mc2 = the same (written empty). A string is u32 length + UTF-8 bytes. llama-perplexity scores
question + " " + answer.

Every item shares a long instruction (~150 tokens for SmolLM2's tokenizer) and has a short
Korean news title and two answers, like the clickbait task. Deterministic for a given seed.
"""
import argparse
import random
import struct

INSTRUCTION = (
    "다음은 온라인 뉴스 기사의 제목입니다. 제목이 본문의 내용과 관계없이 독자의 클릭을 "
    "유도하려고 과장되거나 자극적으로 쓰였다면 낚시성 기사, 사실을 있는 그대로 전하면 "
    "정상 기사로 분류하세요.\n\n"
)
SUBJECTS = ["정부", "서울시", "국회", "한국은행", "경찰", "연예인", "축구 대표팀", "대학", "기업", "날씨"]
PREDICATES_BAIT = ["충격 발언", "경악할 근황", "알고 보니", "이럴 수가", "결국 터졌다"]
PREDICATES_PLAIN = ["예산안 발표", "회의 개최", "금리 동결", "조사 착수", "일정 공개"]
ANSWERS = ["낚시성 기사", "정상 기사"]


def string(text):
    data = text.encode("utf-8")
    return struct.pack("<I", len(data)) + data


def task(question, answers, gold):
    body = string(question) + struct.pack("<I", len(answers))
    body += b"".join(string(a) for a in answers)
    body += struct.pack("<%di" % len(answers), *[1 if i == gold else 0 for i in range(len(answers))])
    return body + struct.pack("<I", 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tasks = []
    for _ in range(args.items):
        bait = rng.random() < 0.5
        title = rng.choice(SUBJECTS) + " " + rng.choice(PREDICATES_BAIT if bait else PREDICATES_PLAIN)
        tasks.append(task(INSTRUCTION + "제목: " + title + "\n분류:", ANSWERS, 0 if bait else 1))
    header = 4 + 4 * len(tasks)
    offsets, pos = [], header
    for t in tasks:
        offsets.append(pos)
        pos += len(t)
    with open(args.out, "wb") as f:
        f.write(struct.pack("<I", len(tasks)) + struct.pack("<%dI" % len(tasks), *offsets) + b"".join(tasks))


if __name__ == "__main__":
    main()
