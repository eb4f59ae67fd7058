#!/usr/bin/env bash
# The benchmark of issue 7: whole-process wall time (median of several runs) and peak memory
# of the commands a learner runs, on a synthetic collection of 50,000 cards and 1,000,000
# reviews. Prints one table and writes target/bench-results.json for comparison between runs.
#
#   bench/run.sh                      # the full collection (generated once, then cached)
#   CARDS=2000 REVIEWS=40000 bench/run.sh   # a small one, in seconds
#
# Settings (environment): RUNS (timed runs per command, default 7), IMPORT_RUNS (default 3),
# CARDS, REVIEWS, COLLECTION (folder of the collection, default target/bench-collection,
# regenerated when missing or made with other sizes), RESULTS (the JSON file).
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

# name|target|runs|setup command (run before each timed run, untimed)|command
CASES=(
    "hello-world binary|-|$RUNS||$HELLO"
    "decks (built-in only)|3x hello|$RUNS||$BIN --db $WORK/empty.db --decks $WORK/no-decks decks"
    "decks ($CARDS user cards), no deck cache|-|$RUNS|rm -rf $LUPUS_QUIZ_CACHE_DIR|$BIN --db $DB --decks $DECKS decks"
    "decks ($CARDS user cards)|-|$RUNS||$BIN --db $DB --decks $DECKS decks"
    "dashboard (no command)|-|$RUNS||$BIN --db $DB --decks $DECKS"
    "review --plain, first question|150 ms|$RUNS||$BIN --db $DB --decks $DECKS review --plain"
    "stats --json|150 ms|$RUNS||$BIN --db $DB --decks $DECKS stats --json"
    "stats --json --deck bench-01|-|$RUNS||$BIN --db $DB --decks $DECKS stats --json --deck bench-01"
    "import $REVIEWS reviews, fresh db|10000 ms|$IMPORT_RUNS|rm -f $WORK/import.db $WORK/import.db-wal $WORK/import.db-shm|$BIN --db $WORK/import.db --decks $DECKS import $COLLECTION/reviews.csv"
    "export (JSON)|-|$RUNS||$BIN --db $DB --decks $DECKS export -o $WORK/export.json"
)

export STAMP RESULTS
printf '%s\n' "${CASES[@]}" | python3 bench/measure.py
