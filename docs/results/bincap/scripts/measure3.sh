#!/usr/bin/env bash
# Third round, run under ONE lock: flock /tmp/heavy.lock /tmp/bincap/measure3.sh
# before = /tmp/bincap-before (main ac96060); after5 = /tmp/bincap-after5 (bincap 54bc249, MAX_GROWN_BLOCKS 8192);
# after6 = /tmp/bincap-after6 (54bc249 with MAX_GROWN_BLOCKS = 32768).
set -u
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
B=/tmp/bincap-before A5=/tmp/bincap-after5 A6=/tmp/bincap-after6 O=/tmp/bincap/out3
mkdir -p $O
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a $O/progress.log; }
log "start; load: $(cat /proc/loadavg)"
(cd $A6 && ./hako suite --workloads sh6bench,sh8bench,glibc-simple \
   --allocators hako:build=$B/lab/target,hako:build=$A5/lab/target,hako:build=$A6/lab/target --runs 5 \
   --out /tmp/bincap-suite3) > $O/suite.out 2> $O/suite.err
log "suite rc=$?"
for r in 1 2; do
  for side in before after6; do
    D=$B; [ $side = after6 ] && D=$A6
    log "jmh round $r $side"
    (cd $D && ./hako jmh 'MallocFreePair.pair|HakoStaticPair' -p peer=hako -f 1 -wi 3 -i 5 -w 1s -r 1s) > $O/jmh-$r-$side.out 2>&1
  done
done
for r in 1 2; do
  for side in before after6; do
    D=$B; [ $side = after6 ] && D=$A6
    log "memory run $r $side"
    (cd $D && ./hako memory --scenario burst,handoff,churn --allocator hako --runs 1 --out /tmp/bincap-mem3-$side-$r) > $O/mem-$r-$side.out 2>&1
  done
done
log "done; load: $(cat /proc/loadavg)"
