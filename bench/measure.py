"""Times the benchmark cases that bench/run.sh passes on stdin, one per line:
`name|target|runs|setup|command`, and the side-by-side pairs, `pair|other|name|runs|ours|theirs`
with optionally `|setup of ours|setup of theirs` (run alternately, ours first; `other` names what they are compared with: hashcards, or the
baseline build). Prints the tables and writes the JSON results file.

Wall time is measured around the whole process (fork to exit) with a warm-up run first;
peak memory comes from one more run under `/usr/bin/time -v`. A command of the other side that
prints `engine_ms N` on standard error (bench/anki_engine.py: Anki's engine timed in-process, without
Python's start-up) has the median of those too, and a second ratio: ours / engine.
"""
import json, os, statistics, subprocess, sys, time

RSS_LIMIT_MIB = 60.0

def run(command, setup, engine=None):
    """The whole process's wall time in ms; the `engine_ms` it reports is appended to
    `engine` when that is a list."""
    if setup:
        subprocess.run(setup, shell=True, check=True)
    start = time.perf_counter()
    done = subprocess.run(command.split(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        sys.exit(f"error: `{command}` failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    if engine is not None:
        for line in done.stderr.decode().splitlines():
            if line.startswith("engine_ms "):
                engine.append(float(line.split()[1]))
    return elapsed

def peak_rss_mib(command, setup):
    if setup:
        subprocess.run(setup, shell=True, check=True)
    done = subprocess.run(["/usr/bin/time", "-v"] + command.split(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    for line in done.stderr.decode().splitlines():
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) / 1024
    sys.exit("error: /usr/bin/time -v printed no peak memory")

def side_by_side(other, name, runs, ours, theirs, setup_ours="", setup_theirs=""):
    """Medians of `runs` alternating runs of both commands (each after its setup command,
    untimed), and the peak memory of each."""
    run(ours, setup_ours), run(theirs, setup_theirs)  # warm-up
    times, engine = ([], []), []
    for _ in range(int(runs)):
        times[0].append(run(ours, setup_ours))
        times[1].append(run(theirs, setup_theirs, engine))
    ours_ms, theirs_ms = (statistics.median(t) for t in times)
    ours_mib, theirs_mib = peak_rss_mib(ours, setup_ours), peak_rss_mib(theirs, setup_theirs)
    print(f"  {name}: {ours_ms:.1f} ms against {theirs_ms:.1f} ms", file=sys.stderr)
    pair = {"against": other, "command": name, "ours_ms": round(ours_ms, 1),
            "theirs_ms": round(theirs_ms, 1), "time_ratio": round(ours_ms / theirs_ms, 3),
            "ours_peak_rss_mib": round(ours_mib, 1), "theirs_peak_rss_mib": round(theirs_mib, 1),
            "memory_ratio": round(ours_mib / theirs_mib, 3), "runs": int(runs),
            "ours_all_ms": [round(t, 1) for t in times[0]],
            "theirs_all_ms": [round(t, 1) for t in times[1]]}
    if engine:
        engine_ms = statistics.median(engine)
        print(f"    ({other}'s engine in-process: {engine_ms:.1f} ms)", file=sys.stderr)
        pair.update({"theirs_engine_ms": round(engine_ms, 1),
                     "engine_ratio": round(ours_ms / engine_ms, 3)})
    return pair

def print_table(header, table):
    table = [header] + table
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(w) if j == 0 else cell.rjust(w)
                        for j, (cell, w) in enumerate(zip(row, widths))).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))

rows = []
pairs = []
hello_ms = None
for line in sys.stdin.read().splitlines():
    if line.startswith("pair|"):
        _, other, name, runs, ours, theirs, *setups = line.split("|")
        pairs.append(side_by_side(other, name, runs, ours, theirs, *setups))
        continue
    name, target, runs, setup, command = line.split("|")
    run(command, setup)  # warm-up: page cache, deck cache, migrations
    times = sorted(run(command, setup) for _ in range(int(runs)))
    median = statistics.median(times)
    rss = peak_rss_mib(command, setup)
    if name == "hello-world binary":
        hello_ms = median
    checks, shown = [], []
    # A target is a list of limits: "25 ms", "1.5x hello", "25 MiB"; every command but
    # the hello-world one also stays under RSS_LIMIT_MIB unless it names its own.
    limits = [t.strip() for t in target.split(",") if t.strip() not in ("", "-")]
    if name != "hello-world binary" and not any(t.endswith(" MiB") for t in limits):
        limits.append(f"{RSS_LIMIT_MIB:.0f} MiB")
    for limit in limits:
        if limit.endswith("x hello"):
            factor = float(limit.split("x")[0])
            checks.append(median <= factor * hello_ms)
            shown.append(f"<= {limit} ({factor * hello_ms:.1f} ms)")
        elif limit.endswith(" ms"):
            checks.append(median <= float(limit.split()[0]))
            shown.append(f"<= {limit}")
        elif limit.endswith(" MiB"):
            checks.append(rss <= float(limit.split()[0]))
            shown.append(f"<= {limit}")
        else:
            sys.exit(f"error: unknown target `{limit}` of `{name}`")
    verdict = "-" if not checks else ("pass" if all(checks) else "FAIL")
    shown_target = ", ".join(shown) or "-"
    rows.append({"command": name, "median_ms": round(median, 1), "min_ms": round(times[0], 1),
                 "max_ms": round(times[-1], 1), "runs": len(times), "peak_rss_mib": round(rss, 1),
                 "target": shown_target, "result": verdict})
    print(f"  {name}: {median:.1f} ms", file=sys.stderr)

header = ("command", "median ms", "peak RSS MiB", "target", "result")
table = [header] + [(r["command"], f"{r['median_ms']:.1f}", f"{r['peak_rss_mib']:.1f}",
                     r["target"], r["result"]) for r in rows]
widths = [max(len(row[i]) for row in table) for i in range(len(header))]
for i, row in enumerate(table):
    print("  ".join(cell.ljust(w) if j in (0, 3) else cell.rjust(w) if j in (1, 2) else cell
                    for j, (cell, w) in enumerate(zip(row, widths))).rstrip())
    if i == 0:
        print("  ".join("-" * w for w in widths))

for other in dict.fromkeys(p["against"] for p in pairs):
    print(f"\nside by side with {other} (medians of alternating runs; ratio = ours / {other})")
    mine = [p for p in pairs if p["against"] == other]
    engine = all("theirs_engine_ms" in p for p in mine)
    header = ("command", "ours ms", f"{other} ms", "time ratio", "ours MiB",
              f"{other} MiB", "memory ratio")
    if engine:
        header += (f"{other} engine ms", "engine ratio")
    print_table(header,
                [(p["command"], f"{p['ours_ms']:.1f}", f"{p['theirs_ms']:.1f}",
                  f"{p['time_ratio']:.2f}", f"{p['ours_peak_rss_mib']:.1f}",
                  f"{p['theirs_peak_rss_mib']:.1f}", f"{p['memory_ratio']:.2f}")
                 + ((f"{p['theirs_engine_ms']:.1f}", f"{p['engine_ratio']:.2f}") if engine else ())
                 for p in mine])

results = {
    "collection": os.environ["STAMP"],
    "cpus": os.cpu_count(),
    "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "results": rows,
}
if pairs:
    results["side_by_side"] = pairs
with open(os.environ["RESULTS"], "w") as f:
    json.dump(results, f, indent=2)
    f.write("\n")
print(f"\nwritten to {os.environ['RESULTS']}", file=sys.stderr)
sys.exit(1 if any(r["result"] == "FAIL" for r in rows) else 0)
