"""Builds the hashcards collection that bench/run.sh times side by side with ours: the same
number of cards in the same number of decks, as hashcards' Markdown (`Q:`/`A:` cards), and a
hashcards database holding the same learner's history as our benchmark database.

    python3 bench/hashcards.py HASHCARDS OUR_COLLECTION OUT_DIR

hashcards keys a card by a hash of its text, so the Markdown is written first and
`hashcards export` lists the hashes; each of our cards (`bench-NN-card-IIII`) then maps to
the card at the same place of the same deck. From our `progress.db` come, per card, the
state (due, stability, difficulty, last review) and, per review, the review log; hashcards
keeps one session per study day. hashcards has no fixed clock (it asks the system for
today), so every time is moved forward by the days between our benchmark's "now" and today,
which keeps the share of due cards the same.

Uses only Python's standard library (sqlite3, json) and the hashcards binary.
"""
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys

OUR_NOW = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)
GRADES = {1: "forgot", 2: "hard", 3: "good", 4: "easy"}
WORDS = ["immune", "cells", "marrow", "kidney", "joint", "rash", "fatigue", "trial", "dose",
         "relapse", "remission", "antibody", "steroid", "infusion", "recovery", "therapy"]


def phrase(seed, words):
    return " ".join(WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(words))


def write_markdown(our_decks, out):
    """One Markdown deck per YAML deck of ours, with as many cards; returns their names."""
    names = sorted(f[:-5] for f in os.listdir(our_decks) if f.endswith(".yaml"))
    for name in names:
        with open(os.path.join(our_decks, name + ".yaml")) as f:
            count = sum(1 for line in f if line.startswith("  - id: "))
        with open(os.path.join(out, name + ".md"), "w") as f:
            for i in range(count):
                f.write(f"Q: {name} question {i}, which {phrase(i, 6)}?\n")
                f.write(f"A: The {phrase(i + 1, 8)}, because the {phrase(i + 2, 10)}.\n\n")
    return names


def hashes_by_place(hashcards, out):
    """`hashcards export`: (deck, index within the deck) → card hash."""
    done = subprocess.run([hashcards, "export", out], check=True, capture_output=True)
    cards = json.loads(done.stdout)["cards"]
    by_place, seen = {}, {}
    for card in sorted(cards, key=lambda c: (c["deckName"], c["location"]["lineStart"])):
        deck = card["deckName"]
        index = seen.get(deck, 0)
        seen[deck] = index + 1
        by_place[(deck, index)] = card["hash"]
    return by_place


def main():
    hashcards, ours, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.remove(os.path.join(out, f))
    write_markdown(os.path.join(ours, "decks"), out)
    by_place = hashes_by_place(hashcards, out)
    shift = dt.datetime.now(dt.timezone.utc).date() - OUR_NOW.date()

    def hash_of(card_id):
        deck, _, index = card_id.rpartition("-card-")
        return by_place.get((deck, int(index)))

    def stamp(ms):
        t = dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc) + shift
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}"

    def day(ms):
        return (dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc) + shift).strftime("%Y-%m-%d")

    src = sqlite3.connect(os.path.join(ours, "progress.db"))
    db = sqlite3.connect(os.path.join(out, "hashcards.db"))
    db.execute("pragma journal_mode = off")
    db.execute("pragma synchronous = off")
    added = stamp(src.execute("select min(reviewed_at) from review_log").fetchone()[0])
    db.execute("delete from cards")
    db.executemany(
        "insert into cards (card_hash, added_at, review_count) values (?, ?, 0)",
        ((h, added) for h in by_place.values()))
    rows = src.execute(
        "select card_id, due, stability, difficulty, reps, last_review from card_state"
        " where last_review is not null")
    db.executemany(
        "update cards set last_reviewed_at = ?, stability = ?, difficulty = ?,"
        " interval_raw = ?, interval_days = ?, due_date = ?, review_count = ? where card_hash = ?",
        ((stamp(last), s, d, (due - last) / 86400000, max(0, round((due - last) / 86400000)),
          day(due), reps, hash_of(card))
         for card, due, s, d, reps, last in rows if hash_of(card)))
    sessions = {}
    for (at,) in src.execute("select reviewed_at from review_log order by reviewed_at"):
        sessions.setdefault(day(at), [at, at])[1] = at
    db.executemany(
        "insert into sessions (session_id, started_at, ended_at) values (?, ?, ?)",
        ((i + 1, stamp(a), stamp(b)) for i, (a, b) in enumerate(sessions.values())))
    session_of = {d: i + 1 for i, d in enumerate(sessions)}
    reviews = src.execute("select card_id, reviewed_at, rating from review_log order by id")
    db.executemany(
        "insert into reviews (session_id, card_hash, reviewed_at, grade, stability, difficulty,"
        " interval_raw, interval_days, due_date) values (?, ?, ?, ?, 2.5, 5.0, 1.0, 1, ?)",
        ((session_of[day(at)], hash_of(card), stamp(at), GRADES[rating], day(at + 86400000))
         for card, at, rating in reviews if hash_of(card)))
    db.commit()
    counts = [db.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("cards", "reviews", "sessions")]
    print(f"hashcards collection in {out}: {counts[0]} cards, {counts[1]} reviews, "
          f"{counts[2]} sessions", file=sys.stderr)


main()
