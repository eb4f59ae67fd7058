"""Anki's side of the benchmark (issue 31): the same collection in Anki's own engine, the Rust
core of Anki desktop and AnkiDroid, through Anki's Python package (`anki` on PyPI, installed
in a virtual environment by tests/anki/setup.sh).

    python anki_engine.py build PACKAGE.apkg COLLECTION.anki2 NOW
    python anki_engine.py CASE COLLECTION.anki2

`build` imports the package that `lupus-quiz export --anki FILE --with-progress` wrote from
the benchmark's database (every card, its schedule and FSRS memory state, and the 1,000,000
reviews) with Anki's importer, turns FSRS on, and moves every time forward by whole days from
NOW (the benchmark's fixed clock, in RFC 3339) to today, since Anki has no fixed clock: the
same cards are then due in both, as `bench/hashcards.py` does for hashcards.

A CASE is timed in this process: the engine opening the collection, doing the work a
learner waits for, and closing it, without Python's start-up and imports (Anki desktop keeps
the collection open, so even the open is more than a learner there waits for). It prints
`engine_ms N` on standard error, for bench/measure.py; the whole process is timed from
outside.

- `review`: the first card of a review: `get_queued_cards`, its question rendered, the counts.
- `stats`: the statistics screen's year of graphs (`graphs`, 365 days).
- `dashboard`: the deck list with its due counts (`deck_due_tree`).
- `cards-due`: `find_cards('is:due')`, and each card as a JSON row (its id, deck, state, due,
  interval, reps, lapses, memory state, question and answer), printed as `cards --due --json`
  does.
"""

import datetime
import json
import sys
import time

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageUpdateCondition

DAY_SECS = 86400


def build(package, path, fixed_now):
    col = Collection(path)
    condition = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    options = ImportAnkiPackageOptions(
        with_scheduling=True,
        with_deck_configs=True,
        merge_notetypes=False,
        update_notes=condition,
        update_notetypes=condition,
    )
    col.import_anki_package(ImportAnkiPackageRequest(package_path=package, options=options))
    col.set_config("fsrs", True)
    fixed = datetime.datetime.fromisoformat(fixed_now.replace("Z", "+00:00"))
    days = (datetime.datetime.now(datetime.timezone.utc) - fixed).days
    secs = days * DAY_SECS
    db = col.db
    # Due days of review and day-learning cards, seconds of learning steps; a new card's due
    # is its position.
    db.execute("UPDATE cards SET due = due + ? WHERE type != 0 AND due > 1000000000", secs)
    db.execute("UPDATE cards SET due = due + ? WHERE type != 0 AND due <= 1000000000", days)
    db.execute(
        "UPDATE cards SET data = json_set(data, '$.lrt', json_extract(data, '$.lrt') + ?)"
        " WHERE json_valid(data) AND json_extract(data, '$.lrt') IS NOT NULL",
        secs,
    )
    # Review ids are their times in milliseconds; negated first, so that no shifted id meets
    # one not shifted yet.
    db.execute("UPDATE revlog SET id = -(id + ?)", secs * 1000)
    db.execute("UPDATE revlog SET id = -id")
    due = len(col.find_cards("is:due"))
    reviews = db.scalar("SELECT count() FROM revlog")
    cards = db.scalar("SELECT count() FROM cards")
    col.close()
    print(f"Anki collection {path}: {cards} cards, {reviews} reviews, {due} due "
          f"(times moved {days} days forward)", file=sys.stderr)


def review(col):
    queued = col.sched.get_queued_cards(fetch_limit=1)
    if queued.cards:
        card = col.get_card(queued.cards[0].card.id)
        card.question()
    return col.sched.counts()


def stats(col):
    return col._backend.graphs(search="", days=365)


def dashboard(col):
    return col.sched.deck_due_tree()


def cards_due(col):
    rows = []
    decks = {deck.id: deck.name for deck in col.decks.all_names_and_ids()}
    for card_id in col.find_cards("is:due"):
        card = col.get_card(card_id)
        note = card.note()
        memory = card.memory_state
        rows.append({
            "id": card.id,
            "deck": decks.get(card.did),
            "type": card.type,
            "queue": card.queue,
            "due": card.due,
            "interval": card.ivl,
            "reps": card.reps,
            "lapses": card.lapses,
            "stability": memory.stability if memory else None,
            "difficulty": memory.difficulty if memory else None,
            "question": note.fields[0],
            "answer": note.fields[1] if len(note.fields) > 1 else "",
        })
    sys.stdout.write(json.dumps(rows, indent=2))
    sys.stdout.write("\n")
    return len(rows)


CASES = {"review": review, "stats": stats, "dashboard": dashboard, "cards-due": cards_due}


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "build":
        build(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    if len(sys.argv) != 3 or sys.argv[1] not in CASES:
        sys.exit(f"usage: anki_engine.py build PACKAGE COLLECTION NOW | anki_engine.py {{{','.join(CASES)}}} COLLECTION")
    work = CASES[sys.argv[1]]
    start = time.perf_counter()
    col = Collection(sys.argv[2])
    work(col)
    col.close()
    elapsed = (time.perf_counter() - start) * 1000
    print(f"engine_ms {elapsed:.2f}", file=sys.stderr)


main()
