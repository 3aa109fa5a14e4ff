#!/usr/bin/env bash
# Times liftoff cpio against GNU cpio and bsdcpio on the same inputs, in one run, and prints a markdown
# table: best wall time of $RUNS runs, the ratios (other tool / liftoff: > 1 means liftoff is faster),
# the CPU time (user + system) of that run, and peak RSS (/usr/bin/time's "maximum resident set size":
# the largest process of a pipeline). On a shared machine the CPU time is the steadier number.
#
# Inputs: the host's kernel modules tree (/lib/modules/*/kernel) and its Debian initrd (/boot/initrd.img-*).
# The other tools get the helpers they need to do the same job: find | sort for the file list, zstd -dc
# for the compressed initrd (GNU cpio cannot decompress). liftoff runs as ./liftoff runs it (same JVM flags).
#
#   bench/cpio/run.sh            # RUNS=3 by default
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
# shellcheck source=../../scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
RUNS=${RUNS:-3}
for tool in cpio bsdcpio zstd /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install cpio libarchive-tools zstd time)" >&2; exit 2; }
done
[ -f "$ROOT/cli/target/liftoff.jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)

TREE=$(ls -d /lib/modules/*/kernel | head -1)
INITRD=$(ls /boot/initrd.img-* | head -1)
WORK=$(mktemp -d /var/tmp/liftoff-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp "$INITRD" "$WORK/initrd"   # a private copy: update-initramfs may rewrite the original meanwhile
LIFTOFF="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar $ROOT/cli/target/liftoff.jar"

# measure COMMAND: runs COMMAND (a shell string, in $WORK) $RUNS times; prints "seconds rss_kib cpu_seconds" of the fastest run.
measure() {
    local best="" rss="" cpu="" i out
    for ((i = 0; i < RUNS; i++)); do
        rm -rf "$WORK/x" && mkdir "$WORK/x"
        sync
        out=$(cd "$WORK" && /usr/bin/time -f '%e %M %U %S' sh -c "$1" 2>&1 >/dev/null | tail -1)
        read -r wall kib user sys <<<"$out"
        if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$wall
            rss=$kib
            cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
        fi
    done
    echo "$best $rss $cpu"
}

# The archive the list and extract rows read: written once by GNU cpio, so no tool reads its own output.
(cd "$TREE" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$WORK/modules.cpio"

TREE_INFO="$(du -sh "$TREE" | cut -f1), $(find "$TREE" | wc -l) entries"
INITRD_INFO="zstd, $(du -h "$WORK/initrd" | cut -f1)"
# operation # input # liftoff # GNU cpio # bsdcpio  ('#' separates: the commands contain pipes)
declare -a ROWS=(
    "create#modules tree ($TREE_INFO) to newc#$LIFTOFF cpio create -o out.cpio $TREE#(cd $TREE && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > out.cpio#(cd $TREE && find . | LC_ALL=C sort | bsdcpio -o --format newc --quiet) > out.cpio"
    "list#modules newc#$LIFTOFF cpio list modules.cpio#cpio -t --quiet < modules.cpio#bsdcpio -t --quiet < modules.cpio"
    "list#Debian initrd ($INITRD_INFO)#$LIFTOFF cpio list initrd#zstd -dc initrd | cpio -t --quiet#bsdcpio -t --quiet < initrd"
    "extract#modules newc#$LIFTOFF cpio extract -C x modules.cpio#cd x && cpio -idm --quiet < ../modules.cpio#cd x && bsdcpio -idm --quiet < ../modules.cpio"
    "extract#Debian initrd ($INITRD_INFO)#$LIFTOFF cpio extract -C x initrd#cd x && zstd -dc ../initrd | cpio -idm --quiet#cd x && bsdcpio -idm --quiet < ../initrd"
)

echo "| operation | input | liftoff s | GNU cpio s | bsdcpio s | GNU / liftoff | bsdcpio / liftoff | CPU s liftoff / GNU / bsd | peak RSS MiB liftoff / GNU / bsd |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for row in "${ROWS[@]}"; do
    IFS='#' read -r op input ours gnu bsd <<<"$row"
    read -r t1 m1 c1 < <(measure "$ours")
    read -r t2 m2 c2 < <(measure "$gnu")
    read -r t3 m3 c3 < <(measure "$bsd")
    awk -v op="$op" -v in_="$input" -v t1="$t1" -v t2="$t2" -v t3="$t3" -v m1="$m1" -v m2="$m2" -v m3="$m3" \
        -v c1="$c1" -v c2="$c2" -v c3="$c3" 'BEGIN {
        printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f / %.2f | %.0f / %.0f / %.0f |\n",
            op, in_, t1, t2, t3, t2 / (t1 > 0 ? t1 : 0.01), t3 / (t1 > 0 ? t1 : 0.01), c1, c2, c3, m1 / 1024, m2 / 1024, m3 / 1024 }'
done
echo
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; best of $RUNS runs; $(date -u +%Y-%m-%dT%H:%MZ)."
