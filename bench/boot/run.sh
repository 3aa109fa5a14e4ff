#!/usr/bin/env bash
# Boot time of a liftoff image beside the anchors, in one run of ../shared/bench/boot/run.sh
# (QEMU TCG, -icount shift=0,sleep=off, -cpu qemu64, root on virtio-blk).
#   bench/boot/run.sh [-n BOOTS] [EXTRA run.sh OPTIONS...]
# Writes bench/boot/results.md. Needs root for the anchors' images (mkinitramfs) and
# tiny-initramfs-core + klibc-utils installed for those anchors.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${LIFTOFF_SHARED:-$ROOT/../shared}
N=2
if [ "${1:-}" = -n ]; then N=$2; shift 2; fi
IMAGE=/var/tmp/liftoff-bench.img
"$ROOT/liftoff" build -o "$IMAGE"
exec bash "$SHARED/bench/boot/run.sh" -n "$N" --image liftoff="$IMAGE" \
    --only busybox-sh,klibc-sh,tiny-initramfs,initramfs-tools,initramfs-tools-list,liftoff \
    --results "$ROOT/bench/boot/results.md" "$@"
