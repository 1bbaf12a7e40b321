#!/usr/bin/env python3
"""Summaries of the bincap measurements: suite medians (before/after), counters, JMH, memory."""
import csv, glob, os, re, statistics, sys
O = '/tmp/bincap/out'
def suite(path, title):
    rows = list(csv.DictReader(open(path)))
    allocs = []
    for r in rows:
        if r['allocator'] not in allocs: allocs.append(r['allocator'])
    works = []
    for r in rows:
        if r['workload'] not in works: works.append(r['workload'])
    def short(a):
        m = re.search(r'bincap-(\w+)/', a)
        return m.group(1) if m else a
    print(f'### {title}\n')
    print('| workload | figure | ' + ' | '.join(short(a) for a in allocs) + ' | ' +
          ' | '.join(f'{short(a)}/before' for a in allocs[1:] if 'bincap' in a) + ' |')
    print('|---|---|' + '---|' * len(allocs) + '---|' * len([a for a in allocs[1:] if 'bincap' in a]))
    for w in works:
        med = {}; fig = None; runs = {}
        for a in allocs:
            v = [float(r['value']) for r in rows if r['workload'] == w and r['allocator'] == a and r['status'] == 'ok']
            fig = [r['figure'] for r in rows if r['workload'] == w][0]
            med[a] = statistics.median(v) if v else float('nan'); runs[a] = v
        cells = [f"{med[a]:.3f} ({', '.join(f'{x:.3f}' for x in runs[a])})" if fig == 'time_s'
                 else f"{med[a]/1e6:.2f} M ({', '.join(f'{x/1e6:.2f}' for x in runs[a])})" for a in allocs]
        ratios = [f'{med[a]/med[allocs[0]]:.2f}' for a in allocs[1:] if 'bincap' in a]
        print(f'| {w} | {fig} | ' + ' | '.join(cells) + ' | ' + ' | '.join(ratios) + ' |')
    print('\nPeak RSS MiB (median):\n')
    print('| workload | ' + ' | '.join(short(a) for a in allocs) + ' |')
    print('|---|' + '---|' * len(allocs))
    for w in works:
        cells = []
        for a in allocs:
            v = [float(r['peak_rss_mib']) for r in rows if r['workload'] == w and r['allocator'] == a and r['status'] == 'ok']
            cells.append(f'{statistics.median(v):.1f}' if v else 'na')
        print(f'| {w} | ' + ' | '.join(cells) + ' |')
    print()
def jmh():
    print('### JMH (ns/op)\n')
    for f in sorted(glob.glob(f'{O}/jmh-*.out')):
        m = re.search(r'jmh-(\d)-(\w+)\.out', f)
        for line in open(f):
            if re.match(r'^(HakoStaticPair|MallocFreePair)\.', line.strip()) and 'avgt' in line:
                print(m.group(1), m.group(2), ' '.join(line.split()))
    print()
def memory():
    print('### memory (MiB above baseline)\n')
    print('| scenario | side | run | peak | after 1 s | after 5 s | after trim | work s |')
    print('|---|---|---|---|---|---|---|---|')
    for f in sorted(glob.glob('/tmp/bincap-mem-*/results.csv')):
        m = re.search(r'bincap-mem-(\w+)-(\d)', f)
        for r in csv.DictReader(open(f)):
            print(f"| {r['scenario']} | {m.group(1)} | {m.group(2)} | {float(r['peak_mib'])-float(r['baseline_mib']):.1f} | "
                  f"{r['after_1s_above_mib']} | {r['after_5s_above_mib']} | {r['after_trim_above_mib']} | {r['work_s']} |")
    print()
if __name__ == '__main__':
    what = sys.argv[1] if len(sys.argv) > 1 else 'all'
    if what in ('all', 'suite') and os.path.exists('/tmp/bincap-suite/results.csv'):
        suite('/tmp/bincap-suite/results.csv', 'suite: the losing rows')
    if what in ('all', 'others') and os.path.exists('/tmp/bincap-suite-others/results.csv'):
        suite('/tmp/bincap-suite-others/results.csv', 'suite: the other rows')
    if what in ('all', 'jmh'): jmh()
    if what in ('all', 'memory'): memory()
