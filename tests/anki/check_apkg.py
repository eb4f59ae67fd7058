"""Imports a lupus-quiz Anki package into a fresh collection with Anki's own importer (the
`anki` package from PyPI: the Rust core of the desktop app and AnkiDroid) and checks it.

    python check_apkg.py PACKAGE.apkg EXPECTED.json

EXPECTED.json is written by the Rust test `tests/cli/anki_real.rs` from the decks and the
progress database the package was made from:

    {"notes": 162, "note_types": ["..."], "decks": ["Parent::Title", ...],
     "cloze": [{"card": "id", "blanks": ["first answer", ...]}],
     "progress": null or {"reviews": 42, "rollover_hour": 4,
                          "cards": {"id": {"phase": "review", "due": "RFC 3339",
                                           "stability": 3.1}},
                          "options": {"name": "...", "desired_retention": 0.9}},
     "newer": null or "path of a later export of the same decks"}

Exits 0 when every check passes and prints one line per check; exits 1 at the first failure.
"""

import datetime
import html
import json
import re
import sys
import tempfile
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import (
    ImportAnkiPackageOptions,
    ImportAnkiPackageUpdateCondition,
)

# Anki renders a template problem as a message linking to this page.
TEMPLATE_ERROR = "docs.ankiweb.net/templates/errors"
NOTICE = "Educational only; not medical advice."


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def ok(message):
    print(f"ok: {message}")


def import_package(col, package, with_scheduling):
    options = ImportAnkiPackageOptions(
        with_scheduling=with_scheduling,
        # The deck options come with the progress, as Anki's dialog offers them together.
        with_deck_configs=with_scheduling,
        merge_notetypes=False,
        update_notes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
    )
    request = ImportAnkiPackageRequest(package_path=str(package), options=options)
    return col.import_anki_package(request).log


def visible_text(rendered):
    """The text a learner sees: no style block, no tags, entities decoded."""
    rendered = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", rendered))


def card_id_of(note):
    return visible_text(note["Card ID"]).strip()


def study_date(instant, rollover_hour):
    """The study day of an aware datetime in the local time zone."""
    local = instant.astimezone()
    return (local - datetime.timedelta(hours=rollover_hour)).date()


def anki_due_date(col, card):
    """The date Anki will show the card when it counts its due in days (review cards, and
    learning across days); None when it counts in seconds (a learning step today)."""
    if card.type == 2 or card.queue in (2, 3) or card.due < 1_000_000_000:
        today = study_date(
            datetime.datetime.now(datetime.timezone.utc), col.get_config("rollover", 4)
        )
        return today + datetime.timedelta(days=card.due - col.sched.today)
    return None


def check_counts(col, log, expected):
    notes = expected["notes"]
    if len(log.new) != notes:
        fail(f"the import added {len(log.new)} notes, expected {notes}")
    if col.note_count() != notes or col.card_count() != notes:
        fail(
            f"the collection has {col.note_count()} notes and {col.card_count()} cards, expected {notes} of each"
        )
    ok(f"{notes} notes and {notes} cards imported")


def check_note_types_and_decks(col, expected):
    names = {m["name"] for m in col.models.all()}
    for name in expected["note_types"]:
        if name not in names:
            fail(f"note type `{name}` is missing; Anki has {sorted(names)}")
    decks = {d.name for d in col.decks.all_names_and_ids()}
    for name in expected["decks"]:
        if name not in decks:
            fail(f"deck `{name}` is missing; Anki has {sorted(decks)}")
    ok(f"note types {expected['note_types']} and {len(expected['decks'])} decks present")


def check_rendering(col):
    rendered_types = set()
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        note = card.note()
        question, answer = card.question(), card.answer()
        for side, text in (("question", question), ("answer", answer)):
            if TEMPLATE_ERROR in text or not visible_text(text).strip():
                fail(f"card {card_id_of(note)}: the {side} does not render: {text[:300]}")
        if NOTICE not in visible_text(answer):
            fail(f"card {card_id_of(note)}: the answer lacks the notice: {answer[:300]}")
        rendered_types.add(note.note_type()["name"])
    ok(f"every card's question and answer render ({sorted(rendered_types)})")


def check_cloze(col, expected):
    for cloze in expected["cloze"]:
        found = col.find_notes(f'"Card ID:{cloze["card"]}"')
        if len(found) != 1:
            fail(f"cloze card {cloze['card']}: {len(found)} notes found")
        card = col.get_note(found[0]).cards()[0]
        question = visible_text(card.question())
        answer = visible_text(card.answer())
        hidden = question.count("[...]")
        if hidden != len(cloze["blanks"]):
            fail(f"cloze {cloze['card']}: {hidden} blanks hidden in {question!r}")
        for blank in cloze["blanks"]:
            if blank not in answer:
                fail(f"cloze {cloze['card']}: answer {answer!r} lacks {blank!r}")
    ok(f"{len(expected['cloze'])} cloze questions hide every blank; their answers show it")


def check_reimport(col, package, with_scheduling):
    before = col.note_count()
    log = import_package(col, package, with_scheduling)
    if len(log.new) != 0 or col.note_count() != before:
        fail(f"re-importing added {len(log.new)} notes ({before} -> {col.note_count()})")
    ok(f"re-importing added no note ({len(log.duplicate)} duplicates recognised)")


def check_progress(col, progress):
    reviews = col.db.scalar("SELECT count() FROM revlog")
    if reviews != progress["reviews"]:
        fail(f"Anki has {reviews} reviews, expected {progress['reviews']}")
    ok(f"{reviews} reviews in Anki's review log")
    rollover = progress["rollover_hour"]
    checked = 0
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        ours = progress["cards"].get(card_id_of(card.note()))
        if ours is None or ours["phase"] == "new":
            if card.type != 0:
                fail(f"card {card_id_of(card.note())} should be new, has type {card.type}")
            continue
        due = datetime.datetime.fromisoformat(ours["due"].replace("Z", "+00:00"))
        expected = study_date(due, rollover)
        got = anki_due_date(col, card)
        if got is None:  # a learning step, due in seconds
            got = study_date(
                datetime.datetime.fromtimestamp(card.due, datetime.timezone.utc), rollover
            )
        if abs((got - expected).days) > 1:
            fail(f"card {card_id_of(card.note())}: due {got} in Anki, {expected} in lupus-quiz")
        if card.memory_state is None or abs(card.memory_state.stability - ours["stability"]) > 0.01:
            fail(f"card {card_id_of(card.note())}: memory state {card.memory_state}, stability {ours['stability']}")
        checked += 1
    ok(f"{checked} answered cards due on the same day (±1) with their FSRS memory state")
    options = progress["options"]
    for deck in col.decks.all_names_and_ids():
        if deck.name == "Default":
            continue
        config = col.decks.config_dict_for_deck_id(deck.id)
        if (
            config["name"] != options["name"]
            or abs(config["desiredRetention"] - options["desired_retention"]) > 1e-6
            or len(config["fsrsParams6"]) != 21
        ):
            fail(f"deck {deck.name} uses options {config['name']!r}, not the learner's")
    ok(f"every deck uses the learner's options {options['name']!r} (FSRS parameters included)")


def check_newer(col, newer, expected):
    """A later export updates every note in place and keeps the cards' Anki history."""
    notes = col.note_count()
    reviews = col.db.scalar("SELECT count() FROM revlog")
    schedules = col.db.all("SELECT id, type, queue, due FROM cards ORDER BY id")
    log = import_package(col, newer, False)
    if len(log.new) != 0 or len(log.updated) != expected["notes"]:
        fail(f"the newer export added {len(log.new)} and updated {len(log.updated)} notes")
    if col.note_count() != notes:
        fail(f"the newer export changed the note count: {notes} -> {col.note_count()}")
    if col.db.scalar("SELECT count() FROM revlog") != reviews:
        fail("the newer export changed the review log")
    if col.db.all("SELECT id, type, queue, due FROM cards ORDER BY id") != schedules:
        fail("the newer export changed the cards' schedules")
    ok(f"a newer export updated {len(log.updated)} notes in place; history and schedules kept")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    package = Path(sys.argv[1]).resolve()
    expected = json.loads(Path(sys.argv[2]).read_text())
    with_scheduling = expected["progress"] is not None
    with tempfile.TemporaryDirectory() as folder:
        col = Collection(str(Path(folder) / "collection.anki2"))
        try:
            log = import_package(col, package, with_scheduling)
            check_counts(col, log, expected)
            check_note_types_and_decks(col, expected)
            check_rendering(col)
            check_cloze(col, expected)
            if with_scheduling:
                check_progress(col, expected["progress"])
            check_reimport(col, package, with_scheduling)
            if expected.get("newer"):
                check_newer(col, Path(expected["newer"]).resolve(), expected)
        finally:
            col.close()
    print("all checks passed")


if __name__ == "__main__":
    main()
