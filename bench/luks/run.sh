#!/usr/bin/env bash
# Unlock time of one LUKS2 argon2id keyslot at cryptsetup's default cost (luksFormat with no PBKDF
# options: iter-time 2 s, memory up to 1 GiB, 4 threads at most) by liftoff's code (in a JIT JVM
# and under -Xint, the init's mode) and by `cryptsetup luksOpen --test-passphrase`, on the same
# header, in one run. Usage: bench/luks/run.sh [RUNS]   (default 3; the best run is reported)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/jdk.sh"
RUNS=${1:-3}
(cd "$ROOT" && mvn -q -B -o -pl init -am -DskipTests install)
BC=$(ls ~/.m2/repository/org/bouncycastle/bcprov-jdk18on/*/bcprov-jdk18on-*.jar | sort -V | tail -1)
CP="$ROOT/init/target/classes:$ROOT/sys/target/classes:$BC"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
printf 'correct horse battery staple' > "$WORK/key"
truncate -s 64M "$WORK/disk.img"
cryptsetup luksFormat --type luks2 --batch-mode --key-file "$WORK/key" "$WORK/disk.img"
cryptsetup luksDump "$WORK/disk.img" | grep -E 'PBKDF|Time cost|Memory|Threads|Iterations' | sed 's/^\s*/  /'
javac -d "$WORK" -cp "$CP" "$ROOT/bench/luks/Unlock.java"
best() { sort -n | head -1; }
echo "cryptsetup luksOpen --test-passphrase (s, best of $RUNS):"
for _ in $(seq "$RUNS"); do
    /usr/bin/time -f %e cryptsetup luksOpen --test-passphrase --key-file "$WORK/key" "$WORK/disk.img" 2>&1 | tail -1
done | best
echo "liftoff, JIT (C2) (s, best of $RUNS):"
for _ in $(seq "$RUNS"); do java -Xmx2g -cp "$WORK:$CP" Unlock "$WORK/disk.img" "$WORK/key"; done | best
echo "liftoff, -Xint as in the init (s, one run, stopped after ${XINT_LIMIT:-300} s):"
timeout "${XINT_LIMIT:-300}" java -Xint -XX:+UseSerialGC -Xmx2g -cp "$WORK:$CP" Unlock "$WORK/disk.img" "$WORK/key" || echo "more than ${XINT_LIMIT:-300} s"
