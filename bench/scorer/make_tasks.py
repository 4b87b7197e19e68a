#!/usr/bin/env python3
"""Writes llama-perplexity --multiple-choice task files for the scorer benchmark.

Format (tools/perplexity/perplexity.cpp, multiple_choice_task::deserialize), little-endian:
u32 n_task; u32 offset[n_task]; per task: string question; mc1 = u32 n, n strings, n i32 labels;
mc2 = the same (written empty). A string is u32 length + UTF-8 bytes. llama-perplexity scores
question + " " + answer.

Sets (deterministic for a given seed; token counts are for SmolLM2's tokenizer):
  arc4       no prefix shared across items: 4 choices, questions of 20-60 tokens, answers of
             1-20 tokens, all different (ARC-Easy-like science questions)
  arc2       the same questions with 2 choices
  clickbait  specs/clickbait.yaml's own prompts: its instruction, "제목: {title}\\n답:", and the
             choices " 낚시성 기사" / " 정상 기사"; titles from fixtures/generate.py
  prefix     a shared instruction with 15 few-shot examples (about 450 tokens, like the 448-token
             instruction of issue 12) before 4-choice questions
"""
import argparse
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures"))

OPENERS = ["Which", "What", "Why", "How", "A student", "During", "In", "When", "Scientists", "Farmers",
           "Some", "Many", "After", "Before", "Most", "An engineer", "Two", "If", "Where", "The"]
NOUNS = ["plant", "rock", "river", "magnet", "cloud", "battery", "seed", "volcano", "glacier", "bird",
         "fossil", "mirror", "bridge", "thermometer", "wave", "leaf", "muscle", "planet", "metal spoon",
         "ice cube", "forest", "desert", "frog", "telescope", "circuit", "lake", "soil sample", "comet"]
VERBS = ["heats", "cools", "moves", "grows", "breaks", "reflects", "absorbs", "erodes", "changes", "floats",
         "sinks", "melts", "freezes", "bends", "measures", "protects", "attracts", "dissolves"]
ADJS = ["small", "large", "warm", "cold", "bright", "heavy", "light", "wet", "dry", "slow", "fast",
        "young", "old", "smooth", "rough", "thin", "thick", "loud", "quiet", "dense"]
CONTEXTS = ["on a sunny afternoon", "in the school laboratory", "over many years", "during a long winter",
            "near the edge of the pond", "after a heavy rain", "in a closed glass jar", "at the top of a hill",
            "under a bright lamp", "in the middle of the ocean", "for a science fair project",
            "while the class took notes", "with a simple ruler and a scale", "during the spring season"]
QUESTIONS = ["Which of these best explains what happens next?", "What is the most likely cause?",
             "Which property changes the most?", "What should the student record first?",
             "Which statement is correct?", "What does this observation show?",
             "Which tool would be most useful?", "Why does this happen?"]


def phrase(rng, lo, hi):
    words = []
    target = rng.randint(lo, hi)
    while len(words) < target:
        words += rng.choice([
            [rng.choice(ADJS), rng.choice(NOUNS)],
            [rng.choice(NOUNS), rng.choice(VERBS)],
            ["the", rng.choice(NOUNS)],
            [rng.choice(VERBS), "the", rng.choice(ADJS), rng.choice(NOUNS)],
            rng.choice(CONTEXTS).split(),
        ])
    return " ".join(words[:target])


def question(rng, index):
    """15-40 words (about 20-60 tokens), starting differently so that items share no prefix."""
    opener = OPENERS[index % len(OPENERS)]
    body = phrase(rng, 8, 28)
    return f"{opener} {body}, {rng.choice(CONTEXTS)}. {rng.choice(QUESTIONS)}"


def answers(rng, n):
    """n different answers of 1-13 words (about 1-20 tokens)."""
    out = []
    while len(out) < n:
        a = phrase(rng, 1, 13)
        a = a[0].upper() + a[1:]
        if a not in out:
            out.append(a)
    return out


FEWSHOT = (
    "You are taking a science test. Read each question and pick the answer that a careful student "
    "would choose. Think about what you know about plants, animals, rocks, weather, energy, forces, "
    "magnets, light and sound, and about how scientists observe and measure things.\n\n"
    "Question: A student puts a metal spoon and a wooden spoon in hot water. After a minute the metal "
    "spoon feels hotter. Why?\nAnswer: Metal conducts heat better than wood.\n\n"
    "Question: Which part of a plant takes in water from the soil?\nAnswer: The roots.\n\n"
    "Question: A ball rolls across the floor and slowly stops. Which force makes it stop?\n"
    "Answer: Friction between the ball and the floor.\n\n"
    "Question: What happens to water when it is cooled below zero degrees Celsius?\n"
    "Answer: It freezes into ice.\n\n"
    "Question: Which tool is best for measuring the mass of a rock?\nAnswer: A balance.\n\n"
    "Question: Why do we see lightning before we hear thunder?\nAnswer: Light travels faster than sound.\n\n"
    "Question: A farmer notices that the soil in one field washes away after every storm. What would "
    "best reduce this erosion?\nAnswer: Planting grass and trees to hold the soil in place.\n\n"
    "Question: Which of these is a renewable source of energy?\nAnswer: Wind.\n\n"
    "Question: A magnet is brought near a pile of small objects. Which object will it pick up?\n"
    "Answer: An iron nail.\n\n"
    "Question: What gas do plants take in from the air to make their food?\nAnswer: Carbon dioxide.\n\n"
    "Question: A student wants to know whether salt dissolves faster in warm water or in cold water. "
    "Which variable should stay the same in both cups?\nAnswer: The amount of salt.\n\n"
    "Question: Why does a puddle get smaller on a warm, sunny day?\nAnswer: The water evaporates into the air.\n\n"
    "Question: Which layer of the Earth do we live on?\nAnswer: The crust.\n\n"
    "Question: A frog begins its life as an egg and then becomes a tadpole. What does the tadpole "
    "become next?\nAnswer: An adult frog.\n\n"
    "Question: What causes day and night on Earth?\nAnswer: The Earth spinning on its axis.\n\n"
)


def string(text):
    data = text.encode("utf-8")
    return struct.pack("<I", len(data)) + data


def task(prompt, choices, gold):
    body = string(prompt) + struct.pack("<I", len(choices))
    body += b"".join(string(a) for a in choices)
    body += struct.pack("<%di" % len(choices), *[1 if i == gold else 0 for i in range(len(choices))])
    return body + struct.pack("<I", 0)


def clickbait(rng, count):
    import generate as g  # fixtures/generate.py: the same title generators as the clickbait fixtures
    instruction = "다음 뉴스 기사의 제목이 낚시성인지 판단하세요. '낚시성 기사' 또는 '정상 기사'로 답하세요."
    codes = ["11", "12", "13", "14", "15", "16", "99"]
    tasks = []
    for _ in range(count):
        _, _, _, subjects, topics = rng.choice(g.CATEGORIES)
        subj, topic = rng.choice(subjects), rng.choice(topics)
        plain = g.normal_title(rng, subj, topic)
        bait = rng.random() < 0.5
        title = g.clickbait_title(rng, rng.choice(codes), subj, topic, plain) if bait else plain
        # The spec's prompt "{instruction}\n\n제목: {title}\n답:" and its verbalized labels.
        tasks.append(task(f"{instruction}\n\n제목: {title}\n답:", ["낚시성 기사", "정상 기사"], 0 if bait else 1))
    return tasks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=["arc4", "arc2", "clickbait", "prefix"], default="arc4")
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.set == "clickbait":
        tasks = clickbait(rng, args.items)
    else:
        n = 2 if args.set == "arc2" else 4
        tasks = []
        for i in range(args.items):
            q = question(rng, i)
            prompt = FEWSHOT + "Question: " + q + "\nAnswer:" if args.set == "prefix" else q
            tasks.append(task(prompt, answers(rng, n), rng.randrange(n)))
    header = 4 + 4 * len(tasks)
    offsets, pos = [], header
    for t in tasks:
        offsets.append(pos)
        pos += len(t)
    with open(args.out, "wb") as f:
        f.write(struct.pack("<I", len(tasks)) + struct.pack("<%dI" % len(tasks), *offsets) + b"".join(tasks))


if __name__ == "__main__":
    main()
