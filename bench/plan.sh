#!/usr/bin/env bash
# The measured simulation of issue 29 (`lupus-quiz plan`): a simulated learner follows a
# plan's sessions day by day, for deadlines 7, 14 and 30 days away, from all cards new and
# from half of them learned, with FSRS parameters fitted on the real sample review log.
# Prints a Markdown table (the figures in bench/README.md). Fixed seeds: the same log gives
# the same figures. It takes seconds (the fit most of it).
#
#   bench/plan.sh                                  # ../shared/data/review-log-sample.csv
#   bench/plan.sh path/to/another-log.csv          # card_id,review_rating,review_time,review_duration
#   PLAN_BENCH_LOADS=1 bench/plan.sh               # also each scenario's answers a day (stderr)
set -euo pipefail

cd "$(dirname "$0")/.."
LOG=${1:-../shared/data/review-log-sample.csv}
if [[ ! -r $LOG ]]; then
    echo "error: cannot read the review log \`$LOG\`; give the path of a CSV review log (card_id,review_rating,review_time,review_duration)" >&2
    exit 1
fi
cargo run --quiet --example plan-bench -- "$LOG"
