"""Times the benchmark cases that bench/run.sh passes on stdin, one per line:
`name|target|runs|setup|command`. Prints the table and writes the JSON results file.

Wall time is measured around the whole process (fork to exit) with a warm-up run first;
peak memory comes from one more run under `/usr/bin/time -v`.
"""
import json, os, statistics, subprocess, sys, time

RSS_LIMIT_MIB = 60.0

def run(command, setup):
    if setup:
        subprocess.run(setup, shell=True, check=True)
    start = time.perf_counter()
    done = subprocess.run(command.split(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        sys.exit(f"error: `{command}` failed ({done.returncode}): {done.stderr.decode()[-500:]}")
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

rows = []
hello_ms = None
for line in sys.stdin.read().splitlines():
    name, target, runs, setup, command = line.split("|")
    run(command, setup)  # warm-up: page cache, deck cache, migrations
    times = sorted(run(command, setup) for _ in range(int(runs)))
    median = statistics.median(times)
    rss = peak_rss_mib(command, setup)
    checks = []
    limit_ms = None
    if target == "3x hello":
        limit_ms = 3 * hello_ms
    elif target.endswith(" ms"):
        limit_ms = float(target.split()[0])
    if limit_ms is not None:
        checks.append(median <= limit_ms)
    if name != "hello-world binary":
        checks.append(rss <= RSS_LIMIT_MIB)
    if name == "hello-world binary":
        hello_ms = median
    verdict = "-" if not checks else ("pass" if all(checks) else "FAIL")
    shown_target = target if target != "3x hello" else f"<= 3x hello ({3 * hello_ms:.1f} ms)"
    if target.endswith(" ms"):
        shown_target = f"<= {target}"
    if name != "hello-world binary":
        shown_target = (shown_target + ", " if shown_target != "-" else "") + f"<= {RSS_LIMIT_MIB:.0f} MiB"
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

results = {
    "collection": os.environ["STAMP"],
    "cpus": os.cpu_count(),
    "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "results": rows,
}
with open(os.environ["RESULTS"], "w") as f:
    json.dump(results, f, indent=2)
    f.write("\n")
print(f"\nwritten to {os.environ['RESULTS']}", file=sys.stderr)
sys.exit(1 if any(r["result"] == "FAIL" for r in rows) else 0)
