"""Studies in Anki's own library and exports what it did, for `import` to read back
(tests/cli/anki_real.rs).

    python study_in_anki.py study PACKAGE.apkg OUT_DIR
        Imports our package with its scheduling into a fresh collection, answers 25 cards
        through Anki's scheduler on two days (every third Again, the rest Good: 50 answers),
        resets one card (Anki's "Forget"), suspends another and sets a due date on a third,
        then exports OUT_DIR/latest.apkg and OUT_DIR/legacy.apkg (with scheduling) and
        OUT_DIR/collection.colpkg. Prints JSON: {"answers": [[card id, ms, button], ...],
        "forgotten": card id, "suspended": card id}.

    python study_in_anki.py deck OUT.apkg
        Makes a deck in Anki itself (Basic and Cloze notes, with HTML) and exports it.
"""

import html
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from anki.collection import Collection, ExportAnkiPackageOptions
from anki.scheduler_pb2 import CardAnswer

# The same import as the check of our packages, from the script beside this one.
from check_apkg import import_package

DAY_MS = 24 * 60 * 60 * 1000


def our_card_id(note):
    return html.unescape(re.sub(r"<[^>]+>", "", note["Card ID"])).strip()


def answer(col, card_id, rating, at_ms):
    """One answer through Anki's scheduler, given at `at_ms`."""
    card = col.get_card(card_id)
    card.start_timer()
    states = col._backend.get_scheduling_states(card_id)
    answer = col.sched.build_answer(card=card, states=states, rating=rating)
    answer.answered_at_millis = at_ms
    answer.milliseconds_taken = 4200
    col.sched.answer_card(answer)


def export(col, out_dir):
    for name, legacy in (("latest.apkg", False), ("legacy.apkg", True)):
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=False, legacy=legacy
        )
        col.export_anki_package(out_path=str(out_dir / name), options=options, limit=None)
    col.export_collection_package(
        str(out_dir / "collection.colpkg"), include_media=False, legacy=False
    )


def study(package, out_dir):
    out_dir = Path(out_dir)
    col = Collection(str(Path(tempfile.mkdtemp()) / "collection.anki2"))
    import_package(col, package, with_scheduling=True)
    cards = sorted(col.find_cards(""))[:27]
    now_ms = int(time.time() * 1000)
    for day, start in enumerate((now_ms - DAY_MS, now_ms - 10 * 60 * 1000)):
        for i, card_id in enumerate(cards[:25]):
            rating = CardAnswer.AGAIN if (i + day) % 3 == 0 else CardAnswer.GOOD
            answer(col, card_id, rating, start + i * 1000)
    col.sched.schedule_cards_as_new([cards[0]])
    col.sched.suspend_cards([cards[25]])
    col.sched.set_due_date([cards[26]], "3")
    note_of = lambda card_id: col.get_card(card_id).note()
    answers = [
        [our_card_id(note_of(cid)), at_ms, ease]
        for at_ms, cid, ease in col.db.all(
            "SELECT id, cid, ease FROM revlog WHERE ease > 0 AND id >= ? ORDER BY id",
            now_ms - DAY_MS,
        )
    ]
    result = {
        "answers": answers,
        "forgotten": our_card_id(note_of(cards[0])),
        "suspended": our_card_id(note_of(cards[25])),
    }
    export(col, out_dir)
    print(json.dumps(result))


def deck(out):
    col = Collection(str(Path(tempfile.mkdtemp()) / "collection.anki2"))
    deck_id = col.decks.id("Made in Anki")
    basic = col.new_note(col.models.by_name("Basic"))
    basic["Front"] = "What does <b>SLE</b> stand for?"
    basic["Back"] = "Systemic lupus<br>erythematosus &amp; more<img src=\"x.png\">"
    col.add_note(basic, deck_id)
    cloze = col.new_note(col.models.by_name("Cloze"))
    cloze["Text"] = "<div>{{c1::Hydroxychloroquine}} is taken for {{c2::lupus::a disease}}.</div>"
    cloze["Back Extra"] = "An <i>antimalarial</i>."
    col.add_note(cloze, deck_id)
    options = ExportAnkiPackageOptions(
        with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
    )
    col.export_anki_package(out_path=out, options=options, limit=None)


if __name__ == "__main__":
    if sys.argv[1] == "study":
        study(sys.argv[2], sys.argv[3])
    else:
        deck(sys.argv[2])
