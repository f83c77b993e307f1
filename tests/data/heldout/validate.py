"""Validate the held-out gold files: types, endpoints, duplicates, simplified names, verbatim evidence.
Usage: python validate.py [corpus_dir]   (needs the `opencc` package)"""

import glob
import json
import os
import re
import sys

import opencc

T2S = opencc.OpenCC("t2s")
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus"
ORG, PER, PLA, POL, EVT = "Organisation", "Person", "Place", "Policy", "Event"
ENDPOINTS = {
    "GUIDED_BY": ({ORG, EVT}, {ORG}),
    "DONATED_TO": ({ORG, PER}, {ORG, PER}),
    "ELECTED_PRESIDENT": ({PER, ORG}, {ORG}),
    "ELECTED_TO": ({PER}, {ORG}),
    "HOLDS_POSITION": ({PER}, {ORG}),
    "ORGANISED_BY": ({EVT}, {ORG}),
    "HELD_IN": ({EVT}, {PLA}),
    "LOCATED_IN": ({ORG, PLA}, {PLA}),
    "PART_OF": ({ORG}, {ORG}),
    "ISSUED_BY": ({POL}, {ORG}),
    "PARTICIPATED_IN": ({PER, ORG}, {EVT}),
    "FOUNDED_AT": ({ORG}, {EVT}),
    "PARTNERED_WITH": ({ORG}, {ORG}),
    "ABOUT": ({POL}, {ORG, PLA}),
}
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def normalise(text):
    text = T2S.convert(PINYIN.sub("", text))
    return re.sub(
        r",(?=[,、。!?;:])", "", text
    )  # 003: a stray comma doubled before real punctuation


bad = 0
for path in sorted(glob.glob(os.path.join(HERE, "*.json"))):
    d = json.load(open(path))
    text = normalise(open(os.path.join(CORPUS, d["file"])).read())
    errs = []
    names, types = set(), {}
    for e in d["entities"]:
        for n in [e["name"]] + e.get("aliases", []):
            if T2S.convert(n) != n:
                errs.append(f"not simplified: {n}")
        if e["name"] in names:
            errs.append(f"duplicate entity {e['name']}")
        names.add(e["name"])
        types[e["name"]] = e["type"]
        if e["type"] == EVT and not e.get("match"):
            errs.append(f"event without match {e['name']}")
    seen = set()
    for r in d["relations"]:
        k = (r["type"], r["source"], r["target"])
        if k in seen:
            errs.append(f"duplicate triple {k}")
        seen.add(k)
        if r["type"] not in ENDPOINTS:
            errs.append(f"unknown type {k}")
            continue
        st, tt = ENDPOINTS[r["type"]]
        if types.get(r["source"]) not in st:
            errs.append(f"bad source {k} {types.get(r['source'])}")
        if types.get(r["target"]) not in tt:
            errs.append(f"bad target {k} {types.get(r['target'])}")
        if r["evidence"] not in text:
            errs.append(f"evidence not verbatim {k}: {r['evidence']}")
        if T2S.convert(r["evidence"]) != r["evidence"]:
            errs.append(f"evidence not simplified {k}")
    from collections import Counter

    print(os.path.basename(path), "OK" if not errs else "ERRORS")
    print("  entities:", dict(Counter(e["type"] for e in d["entities"])), len(d["entities"]))
    print("  relations:", dict(Counter(r["type"] for r in d["relations"])), len(d["relations"]))
    for e in errs:
        print("  -", e)
    bad += len(errs)
sys.exit(1 if bad else 0)
