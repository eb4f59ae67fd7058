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
#
# Settings (environment): RUNS (timed runs per command, default 7), IMPORT_RUNS (default 3),
# CARDS, REVIEWS, COLLECTION (folder of the collection, default target/bench-collection,
# regenerated when missing or made with other sizes), RESULTS (the JSON file), HASHCARDS (a
# hashcards 0.5.0 binary, e.g. from `cargo install hashcards --version 0.5.0 --root
# target/hashcards`: then the same collection is written as hashcards' Markdown and database,
# by bench/hashcards.py, and `hashcards due` and `hashcards stats --format json` are timed
# alternately with `review --plain` and `stats --json`, with the ratios in a second table),
# BASELINE (another build of lupus-quiz, such as the release build of an older commit: it gets
# its own copy of the progress database, imported by itself from the same log, and its own
# deck cache, and the commands a learner runs are timed alternately with this build's).
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
export LUPUS_QUIZ_CACHE_DIR=$PWD/target/bench-deck-cache
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
    "import $REVIEWS reviews, fresh db|5000 ms, 40 MiB|$IMPORT_RUNS|rm -f $WORK/import.db $WORK/import.db-wal $WORK/import.db-shm|$BIN --db $WORK/import.db --decks $DECKS import $COLLECTION/reviews.csv"
    "export (JSON)|-|$RUNS||$BIN --db $DB --decks $DECKS export -o $WORK/export.json"
)

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
    BASE="env LUPUS_QUIZ_CACHE_DIR=$PWD/target/bench-deck-cache-baseline $BASELINE"
    BASE_DB=$BASE_DIR/progress.db
    for pair in \
        "decks (built-in only)|--db $WORK/empty.db --decks $WORK/no-decks decks" \
        "decks ($CARDS user cards)|--decks $DECKS decks" \
        "dashboard (no command)|--decks $DECKS" \
        "review --plain, first question|--decks $DECKS review --plain" \
        "study bench-01 --plain, first question|--decks $DECKS study bench-01 --plain" \
        "stats --json|--decks $DECKS stats --json" \
        "cards ($CARDS cards, table)|--decks $DECKS cards"; do
        name=${pair%%|*}
        args=${pair#*|}
        [[ $args == --db* ]] && db_ours= db_base= || { db_ours="--db $DB "; db_base="--db $BASE_DB "; }
        CASES+=("pair|the baseline|$name|$RUNS|$BIN $db_ours$args|$BASE $db_base$args")
    done
fi

export STAMP RESULTS
printf '%s\n' "${CASES[@]}" | python3 bench/measure.py
