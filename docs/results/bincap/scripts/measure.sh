#!/usr/bin/env bash
# All measurements of the bincap change; run the whole script under ONE lock: flock /tmp/heavy.lock /tmp/bincap/measure.sh
# before = /tmp/bincap-before (main at ac96060); after = /tmp/bincap-after (bincap 15a7dba: adaptive caps);
# after2 = /tmp/bincap-after2 (bincap 130f806: adaptive caps + refill batches scaled by growth).
set -u
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
B=/tmp/bincap-before A=/tmp/bincap-after A2=/tmp/bincap-after2 O=/tmp/bincap/out
mkdir -p $O
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a $O/progress.log; }
log "start; load: $(cat /proc/loadavg)"
log "suite"
(cd $A2 && ./hako suite --workloads sh6bench,sh8bench,glibc-simple,alloc-test1,mstress \
   --allocators hako:build=$B/lab/target,hako:build=$A/lab/target,hako:build=$A2/lab/target,mimalloc --runs 3 \
   --out /tmp/bincap-suite) > $O/suite.out 2> $O/suite.err
log "suite rc=$?"
log "counters"
for w in sh6bench sh8bench glibc-simple; do
  for side in before after2; do
    D=$B; [ $side = after2 ] && D=$A2
    CP="$D/lab/target/hako-lab.jar:$(ls $D/lab/target/lib/*.jar | tr '\n' ':')"
    echo "== $w $side" >> $O/counters.txt
    $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -Dhako.stats=true -cp "$CP" /tmp/bincap/CounterRun.java $w >> $O/counters.txt 2>&1
  done
done
log "jmh"
for r in 1 2; do
  for side in before after2; do
    D=$B; [ $side = after2 ] && D=$A2
    log "jmh round $r $side"
    (cd $D && ./hako jmh 'MallocFreePair.pair|HakoStaticPair' -p peer=hako -f 1 -wi 3 -i 5 -w 1s -r 1s) > $O/jmh-$r-$side.out 2>&1
  done
done
log "memory"
for r in 1 2; do
  for side in before after2; do
    D=$B; [ $side = after2 ] && D=$A2
    log "memory run $r $side"
    (cd $D && ./hako memory --scenario burst,handoff,churn --allocator hako --runs 1 --out /tmp/bincap-mem-$side-$r) > $O/mem-$r-$side.out 2>&1
  done
done
log "other suite rows"
(cd $A2 && ./hako suite --workloads alloc-testN,glibc-thread,larson,rptest,xmalloc-test \
   --allocators hako:build=$B/lab/target,hako:build=$A2/lab/target --runs 3 \
   --out /tmp/bincap-suite-others) > $O/suite-others.out 2> $O/suite-others.err
log "done rc=$?; load: $(cat /proc/loadavg)"
