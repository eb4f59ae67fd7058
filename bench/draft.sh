#!/usr/bin/env bash
# The benchmark of issue 26, `draft`: wall time (median of RUNS whole-process runs, after a
# warm-up) and peak memory (GNU time) on a 1,000-word article and on a 100,000-word text,
# both made by repeating the test article tests/fixtures/articles/vaccine-trials.txt under
# numbered sections; then the quality figures over the three test articles (the test
# `draft_quality_figures_on_the_test_articles`, against their `*.facts.yaml`); then, when the
# lupus article is beside the repository (ARTICLE, default ../shared/source/article.txt; the
# benchmark may read it, the tests never do), its draft: checked, counted by type, and mapped
# with `check --coverage`.
#
#   bench/draft.sh
#   RUNS=11 bench/draft.sh
#
# Needs python3 and GNU time at /usr/bin/time; it installs nothing.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
ARTICLE=${ARTICLE:-../shared/source/article.txt}
OUT=target/bench-draft
if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    echo "error: GNU time is missing at /usr/bin/time (it measures peak memory); install it, e.g. \`apt-get install time\`, and run again" >&2
    exit 1
fi
cargo build --release --locked --quiet
BIN=target/release/lupus-quiz
mkdir -p "$OUT"

python3 - "$BIN" "$OUT" "$RUNS" <<'PY'
import statistics, subprocess, sys, time

binary, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
source = open("tests/fixtures/articles/vaccine-trials.txt", encoding="utf-8").read()

def generate(words, path):
    """The test article repeated under numbered sections until it has `words` words."""
    parts, count, number = [], 0, 0
    while count < words:
        number += 1
        parts.append(f"# Part {number}\n\n")
        for line in source.splitlines():
            parts.append(line + "\n")
            count += len(line.split())
            if count >= words:
                break
        parts.append("\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))
    return count

def timed(path):
    command = [binary, "draft", path, "--deck", "bench"]
    run = lambda: subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    done = subprocess.run(["/usr/bin/time", "-v"] + command, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=True)
    rss = next(int(l.split(":")[1]) / 1024 for l in done.stderr.decode().splitlines()
               if "Maximum resident set size" in l)
    cards = done.stdout.decode().count("\n- id: ")
    return statistics.median(times), rss, cards

print("| input | words | cards | median ms | peak RSS MiB | target | result |")
print("|---|---:|---:|---:|---:|---|---|")
for words, limit_ms, limit_mib in ((1_000, 200, None), (100_000, 5_000, 200)):
    path = f"{out}/article-{words}.md"
    count = generate(words, path)
    ms, mib, cards = timed(path)
    target = f"< {limit_ms} ms" + (f", < {limit_mib} MiB" if limit_mib else "")
    met = ms < limit_ms and (limit_mib is None or mib < limit_mib)
    print(f"| {path} | {count:,} | {cards:,} | {ms:.1f} | {mib:.1f} | {target} | {'met' if met else 'NOT MET'} |")
PY

echo
echo "Quality on the test articles:"
cargo test --locked --quiet --test cli draft_quality_figures -- --nocapture 2>/dev/null \
    | grep '^quality ' | sed 's/^quality /  /'

if [[ -f "$ARTICLE" ]]; then
    echo
    echo "The lupus article ($ARTICLE):"
    home=$(mktemp -d)
    trap 'rm -rf "$home"' EXIT
    mkdir -p "$home/decks" "$home/empty"
    HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
        "$BIN" draft "$ARTICLE" --deck lupus-draft -o "$home/decks/lupus-draft.yaml" 2>&1 | sed 's/^/  /'
    HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
        "$BIN" check --coverage "$ARTICLE" "$home/decks/lupus-draft.yaml" 2>/dev/null | sed 's/^/  /'
    echo "  The built-in decks against it:"
    HOME=$home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
        "$BIN" --decks "$home/empty" check --coverage "$ARTICLE" 2>/dev/null | sed 's/^/  /' | head -14
else
    echo
    echo "(no lupus article at $ARTICLE: its draft is skipped)"
fi
