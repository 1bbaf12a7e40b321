#!/usr/bin/env bash
# Second round, run under ONE lock: flock /tmp/heavy.lock /tmp/bincap/measure2.sh
# before = /tmp/bincap-before (main ac96060)
# after3 = /tmp/bincap-after3 (bincap 86709c2: adaptive caps + scaled refills + give-back in runs per page)
# after5 = /tmp/bincap-after5 (bincap 54bc249: after3 + drains do not turn a class)
# after6 = /tmp/bincap-after6 (after5 with SizeClasses.MAX_GROWN_BLOCKS = 32768, an uncommitted clone)
set -u
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
B=/tmp/bincap-before A3=/tmp/bincap-after3 A5=/tmp/bincap-after5 A6=/tmp/bincap-after6 O=/tmp/bincap/out2
mkdir -p $O
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a $O/progress.log; }
log "start; load: $(cat /proc/loadavg)"
(cd $A5 && ./hako suite --workloads sh6bench,sh8bench,glibc-simple,alloc-test1,mstress,xmalloc-test,rptest \
   --allocators hako:build=$B/lab/target,hako:build=$A3/lab/target,hako:build=$A5/lab/target,hako:build=$A6/lab/target,mimalloc --runs 3 \
   --out /tmp/bincap-suite2) > $O/suite.out 2> $O/suite.err
log "suite rc=$?"
for w in sh8bench xmalloc-test; do
  for D in $B $A5 $A6; do
    CP="$D/lab/target/hako-lab.jar:$(ls $D/lab/target/lib/*.jar | tr '\n' ':')"
    echo "== $w $D" >> $O/counters.txt
    $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Dhako.stats=true -cp "$CP" /tmp/bincap/CounterRun.java $w >> $O/counters.txt 2>&1
  done
done
log "done; load: $(cat /proc/loadavg)"
