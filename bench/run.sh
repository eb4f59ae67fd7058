#!/usr/bin/env bash
# The benchmark of issues 7 and 18: whole-process wall time (median of several runs) and peak
# memory of the commands a learner runs, on a synthetic collection of 50,000 cards and
# 1,000,000 reviews. Prints one table and writes target/bench-results.json for comparison
# between runs.
#
#   bench/run.sh                      # the full collection (generated once, then cached)
#   CARDS=2000 REVIEWS=40000 bench/run.sh   # a small one, in seconds
#   HASHCARDS=target/hashcards/bin/hashcards bench/run.sh   # and side by side with hashcards
#   BASELINE=path/to/an/older/lupus-quiz bench/run.sh       # and side by side with that build
#   ANKI=1 bench/run.sh               # and side by side with Anki's engine (issue 31)
#
# Settings (environment): RUNS (timed runs per command, default 7), IMPORT_RUNS (default 3),
# ONLY_PAIRS (any value: only the side-by-side pairs below, not the table of every command),
# ONLY (an extended regular expression: only the commands whose name matches it, such as
# ONLY='dashboard|review --plain|cards --due' for the scale curve without the long import),
# CARDS, REVIEWS, COLLECTION (folder of the collection, default target/bench-collection,
# regenerated when missing or made with other sizes), RESULTS (the JSON file), HASHCARDS (a
# hashcards 0.5.0 binary, e.g. from `cargo install hashcards --version 0.5.0 --root
# target/hashcards`: then the same collection is written as hashcards' Markdown and database,
# by bench/hashcards.py, and `hashcards due` and `hashcards stats --format json` are timed
# alternately with `review --plain` and `stats --json`, with the ratios in a second table),
# BASELINE (another build of lupus-quiz, such as the release build of an older commit: it gets
# its own copy of the progress database, imported by itself from the same log, and its own
# deck cache, and the commands a learner runs are timed alternately with this build's, the
# import of the log included), ANKI (any value: the same collection in Anki's engine through
# Anki's Python package, by bench/anki_engine.py in the virtual environment of tests/anki/setup.sh,
# or the Python named by ANKI_PYTHON; the first card of `review`, `stats --json`, the
# dashboard and `cards --due --json` are timed alternately with Anki's equivalents, as whole
# processes and against the time Anki's engine itself takes in-process).
# Needs python3 (the timing loop, bench/measure.py) and GNU time at /usr/bin/time (peak memory); it installs
# nothing.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
IMPORT_RUNS=${IMPORT_RUNS:-3}
CARDS=${CARDS:-50000}
REVIEWS=${REVIEWS:-1000000}
COLLECTION=${COLLECTION:-target/bench-collection}
RESULTS=${RESULTS:-target/bench-results.json}
# The log of the generated collection ends on 2026-11-01; "now" is that morning, in UTC,
# so every run sees the same due cards.
export LUPUS_QUIZ_NOW=2026-11-01T09:00:00Z
export TZ=UTC
unset LUPUS_QUIZ_DB LUPUS_QUIZ_DECKS NO_COLOR LUPUS_QUIZ_SEED

if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    echo "error: GNU time is missing at /usr/bin/time (it measures peak memory); install it, e.g. \`apt-get install time\`, and run again" >&2
    exit 1
fi
if ! command -v python3 >/dev/null; then
    echo "error: python3 is missing (it times the runs); install it and run again" >&2
    exit 1
fi

echo "building (release)..." >&2
cargo build --release --quiet --bin lupus-quiz --example gen-collection
BIN=$PWD/target/release/lupus-quiz

# The hello-world binary every start time is compared with.
HELLO=target/bench-hello
if [[ ! -x $HELLO ]]; then
    printf 'fn main() {\n    println!("hello");\n}\n' > target/bench-hello.rs
    rustc --edition 2024 -C opt-level=3 -o "$HELLO" target/bench-hello.rs
fi

STAMP="cards=$CARDS reviews=$REVIEWS"
if [[ ! -f $COLLECTION/progress.db || ! -f $COLLECTION/reviews.csv || "$(cat "$COLLECTION/stamp" 2>/dev/null)" != "$STAMP" ]]; then
    echo "generating the collection ($STAMP) in $COLLECTION..." >&2
    rm -rf "$COLLECTION"
    mkdir -p "$COLLECTION"
    target/release/examples/gen-collection --cards "$CARDS" --reviews "$REVIEWS" --out "$COLLECTION" --bin "$BIN" >&2
    echo "$STAMP" > "$COLLECTION/stamp"
fi

# The parsed-deck cache of these runs, apart from the user's.
# One cache a collection: every collection's decks are named bench-01..., so a shared cache
# would be re-parsed at every switch of collection.
export LUPUS_QUIZ_CACHE_DIR=$PWD/target/bench-deck-cache/$(basename "$COLLECTION")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/no-decks"
DECKS=$COLLECTION/decks
DB=$COLLECTION/progress.db

# name|targets (comma-separated: N ms, N MiB, Nx hello)|runs|setup command (run before each
# timed run, untimed)|command. The targets are those of issue 18, at 50,000 cards.
CASES=(
    "hello-world binary|-|$RUNS||$HELLO"
    "decks (built-in only)|1.5x hello|$RUNS||$BIN --db $WORK/empty.db --decks $WORK/no-decks decks"
    "decks ($CARDS user cards), no deck cache|-|$RUNS|rm -rf $LUPUS_QUIZ_CACHE_DIR|$BIN --db $DB --decks $DECKS decks"
    "decks ($CARDS user cards)|20 ms|$RUNS||$BIN --db $DB --decks $DECKS decks"
    "dashboard (no command)|30 ms, 25 MiB|$RUNS||$BIN --db $DB --decks $DECKS"
    "review --plain, first question|25 ms, 25 MiB|$RUNS||$BIN --db $DB --decks $DECKS review --plain"
    "study bench-01 --plain, first question|25 ms|$RUNS||$BIN --db $DB --decks $DECKS study bench-01 --plain"
    "stats --json|30 ms, 25 MiB|$RUNS||$BIN --db $DB --decks $DECKS stats --json"
    "stats --json --deck bench-01|-|$RUNS||$BIN --db $DB --decks $DECKS stats --json --deck bench-01"
    "cards ($CARDS cards, table)|-|$RUNS||$BIN --db $DB --decks $DECKS cards"
    "cards --json ($CARDS cards)|-|$RUNS||$BIN --db $DB --decks $DECKS cards --json"
    "cards --due --json|-|$RUNS||$BIN --db $DB --decks $DECKS cards --due --json"
    "import $REVIEWS reviews, fresh db|5000 ms, 40 MiB|$IMPORT_RUNS|rm -f $WORK/import.db $WORK/import.db-wal $WORK/import.db-shm|$BIN --db $WORK/import.db --decks $DECKS import $COLLECTION/reviews.csv"
    "export (JSON)|-|$RUNS||$BIN --db $DB --decks $DECKS export -o $WORK/export.json"
)

# Only the side-by-side tables: on a busy machine, the whole run takes long.
[[ -n ${ONLY_PAIRS:-} ]] && CASES=()

# Side by side: the same collection for hashcards, built once per collection and binary.
if [[ -n ${HASHCARDS:-} ]]; then
    if ! "$HASHCARDS" --version 2>/dev/null | grep -q ' 0\.5\.0'; then
        echo "error: HASHCARDS=$HASHCARDS is not hashcards 0.5.0 ($("$HASHCARDS" --version 2>&1 | head -1)); install it with \`cargo install hashcards --version 0.5.0 --root target/hashcards\`" >&2
        exit 1
    fi
    THEIRS=$COLLECTION/hashcards
    THEIR_STAMP="$STAMP $(date -u +%F) $("$HASHCARDS" --version)"
    if [[ ! -f $THEIRS/hashcards.db || "$(cat "$COLLECTION/hashcards-stamp" 2>/dev/null)" != "$THEIR_STAMP" ]]; then
        echo "writing the hashcards collection in $THEIRS..." >&2
        python3 bench/hashcards.py "$HASHCARDS" "$COLLECTION" "$THEIRS"
        echo "$THEIR_STAMP" > "$COLLECTION/hashcards-stamp"
    fi
    CASES+=(
        "pair|hashcards|review --plain, first question / hashcards due|$RUNS|$BIN --db $DB --decks $DECKS review --plain|$HASHCARDS due $THEIRS"
        "pair|hashcards|stats --json / hashcards stats --format json|$RUNS|$BIN --db $DB --decks $DECKS stats --json|$HASHCARDS stats $THEIRS --format json"
    )
fi

# Side by side with another build of ours, on the same collection.
if [[ -n ${BASELINE:-} ]]; then
    BASE_DIR=$COLLECTION/baseline
    BASE_STAMP="$STAMP $(cksum < "$BASELINE")"
    if [[ ! -f $BASE_DIR/progress.db || "$(cat "$BASE_DIR/stamp" 2>/dev/null)" != "$BASE_STAMP" ]]; then
        echo "importing the log with the baseline build into $BASE_DIR..." >&2
        rm -rf "$BASE_DIR"
        mkdir -p "$BASE_DIR"
        "$BASELINE" --db "$BASE_DIR/progress.db" --decks "$DECKS" import "$COLLECTION/reviews.csv" >&2
        echo "$BASE_STAMP" > "$BASE_DIR/stamp"
    fi
    # Its own deck cache: both builds name their entries after the deck files.
    BASE="env LUPUS_QUIZ_CACHE_DIR=$PWD/target/bench-deck-cache-baseline/$(basename "$COLLECTION") $BASELINE"
    BASE_DB=$BASE_DIR/progress.db
    for pair in \
        "decks (built-in only)|--db $WORK/empty.db --decks $WORK/no-decks decks" \
        "decks ($CARDS user cards)|--decks $DECKS decks" \
        "dashboard (no command)|--decks $DECKS" \
        "review --plain, first question|--decks $DECKS review --plain" \
        "study bench-01 --plain, first question|--decks $DECKS study bench-01 --plain" \
        "stats --json|--decks $DECKS stats --json" \
        "cards ($CARDS cards, table)|--decks $DECKS cards" \
        "cards --due --json|--decks $DECKS cards --due --json"; do
        name=${pair%%|*}
        args=${pair#*|}
        [[ $args == --db* ]] && db_ours= db_base= || { db_ours="--db $DB "; db_base="--db $BASE_DB "; }
        CASES+=("pair|the baseline|$name|$RUNS|$BIN $db_ours$args|$BASE $db_base$args")
    done
    # The import into a fresh database, each build into its own.
    fresh() { echo "rm -f $WORK/$1.db $WORK/$1.db-wal $WORK/$1.db-shm"; }
    CASES+=("pair|the baseline|import $REVIEWS reviews, fresh db|$IMPORT_RUNS|$BIN --db $WORK/ours.db --decks $DECKS import $COLLECTION/reviews.csv|$BASE --db $WORK/base.db --decks $DECKS import $COLLECTION/reviews.csv|$(fresh ours)|$(fresh base)")
fi

# Side by side with Anki's engine: the same collection, exported as an Anki package with its
# progress and imported by Anki's own importer, built once per collection and day.
if [[ -n ${ANKI:-} ]]; then
    ANKI_PYTHON=${ANKI_PYTHON:-target/anki-venv/bin/python}
    if [[ ! -x $ANKI_PYTHON ]]; then
        echo "installing Anki's Python package into target/anki-venv (tests/anki/setup.sh)..." >&2
        bash tests/anki/setup.sh >&2
    fi
    ANKI_DIR=$COLLECTION/anki
    ANKI_COL=$ANKI_DIR/collection.anki2
    ANKI_STAMP="$STAMP $(date -u +%F) anki $("$ANKI_PYTHON" -c 'import importlib.metadata as m; print(m.version("anki"))')"
    if [[ ! -f $ANKI_COL || "$(cat "$ANKI_DIR/stamp" 2>/dev/null)" != "$ANKI_STAMP" ]]; then
        echo "building the Anki collection in $ANKI_DIR..." >&2
        rm -rf "$ANKI_DIR"
        mkdir -p "$ANKI_DIR"
        "$BIN" --db "$DB" --decks "$DECKS" export --anki "$ANKI_DIR/package.apkg" --with-progress >&2
        "$ANKI_PYTHON" bench/anki_engine.py build "$ANKI_DIR/package.apkg" "$ANKI_COL" "$LUPUS_QUIZ_NOW"
        rm -f "$ANKI_DIR/package.apkg"
        echo "$ANKI_STAMP" > "$ANKI_DIR/stamp"
    fi
    ANKI_RUN="$ANKI_PYTHON bench/anki_engine.py"
    OURS="$BIN --db $DB --decks $DECKS"
    CASES+=(
        "pair|Anki|review --plain, first question / get_queued_cards, render, counts|$RUNS|$OURS review --plain|$ANKI_RUN review $ANKI_COL"
        "pair|Anki|stats --json / graphs of a year|$RUNS|$OURS stats --json|$ANKI_RUN stats $ANKI_COL"
        "pair|Anki|dashboard / deck_due_tree|$RUNS|$OURS|$ANKI_RUN dashboard $ANKI_COL"
        "pair|Anki|cards --due --json / find_cards('is:due') as JSON|$RUNS|$OURS cards --due --json|$ANKI_RUN cards-due $ANKI_COL"
    )
fi

# Only the commands named by ONLY: a pair's name is its third field, any other case's its first.
if [[ -n ${ONLY:-} ]]; then
    KEPT=()
    for case in "${CASES[@]}"; do
        IFS='|' read -r first _ third _ <<< "$case"
        name=$first
        [[ $first == pair ]] && name=$third
        grep -Eq -- "$ONLY" <<< "$name" && KEPT+=("$case")
    done
    (( ${#KEPT[@]} )) || { echo "error: ONLY='$ONLY' matches no command of the benchmark" >&2; exit 1; }
    CASES=("${KEPT[@]}")
fi

export STAMP RESULTS
printf '%s\n' "${CASES[@]}" | python3 bench/measure.py
