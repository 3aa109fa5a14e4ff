#!/usr/bin/env bash
# Boot time of liftoff images beside the anchor systems: a wrapper for `liftoff bench boot`, which
# builds the images and boots them with bench/boot/boot-systems.sh beside the anchors (QEMU TCG,
# -icount shift=0,sleep=off, -cpu qemu64, root on virtio-blk). Writes bench/boot/results.md. Needs root
# for the anchors' images (mkinitramfs, device nodes) and tiny-initramfs-core + klibc-utils for those
# anchors.
#   bench/boot/run.sh [-n BOOTS] [--compress ALG]... [--anchors A,B] [-- BOOT-SYSTEMS-OPTIONS...]
set -euo pipefail
exec "$(cd "$(dirname "$0")/../.." && pwd)/liftoff" bench boot "$@"
