#!/usr/bin/env python3
"""Summarises jdk.ExecutionSample events of a JFR file: top self frames, and inclusive share of chosen frames.
   jfr-summary.py FILE.jfr [TOP]   (runs `jfr print --json --events jdk.ExecutionSample --stack-depth 64`)"""
import json, subprocess, sys, collections, os
jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
f = sys.argv[1]; top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
data = json.loads(subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", f],
                                 capture_output=True, text=True, check=True).stdout)
events = data["recording"]["events"]
selfc = collections.Counter(); incl = collections.Counter(); threads = collections.Counter(); first_hako = collections.Counter()
n = 0
for e in events:
    st = e["values"].get("stackTrace")
    if not st: continue
    frames = [fr["method"]["type"]["name"].replace("/", ".") + "." + fr["method"]["name"] + ":" + str(fr.get("lineNumber", "")) for fr in st["frames"]]
    if not frames: continue
    n += 1
    th = e["values"].get("sampledThread") or {}
    threads[th.get("javaName") or th.get("osName") or "?"] += 1
    selfc[frames[0]] += 1
    for fr in set(frames): incl[fr] += 1
    # the outermost frame in core Hako (dev.hako.* but not dev.hako.lab.*): where the allocator was entered
    entry = None
    for fr in frames:
        if fr.startswith("dev.hako.") and not fr.startswith("dev.hako.lab."): entry = fr
    first_hako["(workload / JVM, no Hako frame)" if entry is None else entry] += 1
def show(title, c, k):
    print(f"== {title} (of {n} samples)")
    for name, v in c.most_common(k): print(f"{100.0*v/n:6.1f}%  {v:6d}  {name}")
    print()
print(f"file: {f}\n")
show("threads", threads, 8)
show("top frames, self", selfc, top)
show("Hako entry point (outermost core frame) per sample", first_hako, 12)
show("inclusive", collections.Counter({k: v for k, v in incl.items() if k.startswith("dev.hako")}), top)
