#!/usr/bin/env python3
"""Generates benchmark corpora (JSON Lines, one article per line) made from real text.

Why generated: the bundled and shared collections are a few thousand articles; indexing and
query figures are wanted at 10k, 100k and 1M articles of about 900 words. Articles are built
from runs of consecutive real paragraphs (so query terms cluster as they do in real articles)
drawn from the collections in ../shared/data. Those collections are research-only: they are
read at benchmark time and the output is written OUTSIDE the repository (--out is required
and must not be inside the source tree).

Modes:
  synthetic (default): N articles of ~--words words, unique ids "bench-<n>", dates uniform in
    1990-01-01..2024-12-31, a source, one or two authors and up to three tags from small
    fixed lists. Fully determined by --seed and the input files.
  --real NAME: copies ../shared/data/NAME/corpus.jsonl as is (optionally the first --count).

Examples:
  bench/corpus/make_corpus.py --count 10000 --out /tmp/gazette-bench/corpus-10k.jsonl
  bench/corpus/make_corpus.py --real usgov-press-2021-2022 --out /tmp/gazette-bench/usgov.jsonl
"""

import argparse
import datetime
import json
import os
import random
import re
import sys

DEFAULT_DATA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             "..", "..", "..", "shared", "data"))
REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# Prose collections with long paragraphs; weights keep the mix close to news/encyclopedia text.
SOURCES = [("usgov-press-2021-2022", 3), ("wikipedia-en-sample", 3), ("reuters21578", 1)]

PUBLICATIONS = ["Daily Ledger", "Evening Courier", "The Observer Review", "Metro Tribune",
                "Northern Gazette", "Harbor Times", "Capital Dispatch", "World Wire"]
AUTHORS = ["Anna Keller", "Ben Ortiz", "Chloe Martin", "David Novak", "Elena Petrova",
           "Farid Haddad", "Grace Liu", "Hugo Lambert", "Ines Costa", "James O'Neill",
           "Kasia Nowak", "Liam Brennan", "Maya Singh", "Nils Berg", "Olga Ivanova",
           "Paul Schneider", "Rosa Alvarez", "Sam Cohen", "Tara Walsh", "Yuki Tanaka"]
TAGS = ["analysis", "breaking", "interview", "opinion", "feature", "explainer", "live",
        "investigation", "review", "briefing", "archive", "profile", "data", "photo", "video"]

_WS = re.compile(r"[ \t\r\f\v]+")


def load_pool(data_dir):
    """Returns a list of (title, [(paragraph, words)]) with paragraphs of at least 15 words."""
    docs = []
    for name, weight in SOURCES:
        path = os.path.join(data_dir, name, "corpus.jsonl")
        if not os.path.exists(path):
            print(f"warning: {path} missing, skipped", file=sys.stderr)
            continue
        coll = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                obj = json.loads(line)
                body = obj.get("body") or ""
                # usgov separates paragraphs by blank lines, wikipedia by single newlines;
                # Reuters wraps lines at ~70 columns and indents paragraph starts.
                if "\n\n" in body:
                    parts = body.split("\n\n")
                elif name == "reuters21578":
                    parts = re.split(r"\n {2,}", body)
                else:
                    parts = body.split("\n")
                paras = []
                for p in parts:
                    p = _WS.sub(" ", p.replace("\n", " ")).strip()
                    words = len(p.split())
                    if words >= 15:
                        paras.append((p, words))  # word count kept: counting is the hot loop
                if paras:
                    coll.append(((obj.get("title") or "").strip(), paras))
        docs.extend(coll * weight)
    if not docs:
        sys.exit("no source text found; pass --data DIR (the shared data folder)")
    return docs


def random_date(rng):
    start = datetime.date(1990, 1, 1).toordinal()
    end = datetime.date(2024, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end)).isoformat()


def make_article(rng, pool, n, words):
    """One article: runs of consecutive paragraphs from random source documents."""
    paras = []
    count = 0
    title = ""
    while count < words:
        t, src = pool[rng.randrange(len(pool))]
        if not title and t:
            title = t
        i = rng.randrange(len(src))
        run = rng.randint(1, 4)
        for p, p_words in src[i:i + run]:
            paras.append(p)
            count += p_words
            if count >= words:
                break
    if not title:
        title = " ".join(paras[0].split()[:10])
    return count, {
        "id": f"bench-{n}",
        "title": title,
        "body": "\n\n".join(paras),
        "url": f"https://bench.example/articles/{n}",
        "source": rng.choice(PUBLICATIONS),
        "author": rng.sample(AUTHORS, rng.randint(1, 2)),
        "date": random_date(rng),
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "lang": "en",
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output .jsonl path (outside the repository)")
    ap.add_argument("--count", type=int, default=10000, help="number of articles")
    ap.add_argument("--words", type=int, default=900, help="target words per article")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data", default=DEFAULT_DATA, help="the shared data folder")
    ap.add_argument("--real", metavar="NAME", help="copy data/NAME/corpus.jsonl as is")
    args = ap.parse_args()

    out = os.path.abspath(args.out)
    if out == REPO or out.startswith(REPO + os.sep):
        sys.exit("refusing to write inside the repository: the source texts are research-only")
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    tmp = out + ".part"

    if args.real:
        src = os.path.join(args.data, args.real, "corpus.jsonl")
        count_given = "--count" in sys.argv
        with open(src, encoding="utf-8") as f, open(tmp, "w", encoding="utf-8") as o:
            for i, line in enumerate(f):
                if count_given and i >= args.count:
                    break
                o.write(line)
        os.replace(tmp, out)
        print(f"copied {src} -> {out}", file=sys.stderr)
        return

    rng = random.Random(args.seed)
    pool = load_pool(args.data)
    total_words = 0
    with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as o:
        for n in range(args.count):
            words, a = make_article(rng, pool, n, args.words)
            total_words += words
            o.write(json.dumps(a, ensure_ascii=False))
            o.write("\n")
            if (n + 1) % 100000 == 0:
                print(f"{n + 1} articles", file=sys.stderr, flush=True)
    os.replace(tmp, out)
    print(f"wrote {args.count} articles, {total_words / max(args.count, 1):.0f} words/article, "
          f"{os.path.getsize(out) / 1e6:.1f} MB -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
