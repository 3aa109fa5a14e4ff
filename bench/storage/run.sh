#!/usr/bin/env bash
# Boot time from /init to the mounted root with the root disk on NVMe and on virtio-scsi: liftoff's
# generic image beside initramfs-tools (udev) and dracut, each booted on the same disk. The images,
# the root disk (ext4, its /sbin/init prints REAL-ROOT and dmesg) and the QEMU settings are those of
# bench/boot/boot-systems.sh (which boots virtio-blk only; it builds them here); this script only
# changes the bus.
#   bench/storage/run.sh [-n BOOTS]        writes bench/storage/results.md
# Needs root (mkinitramfs, dracut), dracut-core for the dracut rows, and a built liftoff.
# KVER: the kernel under test (default: the newest /boot/vmlinuz-*-cloud-amd64, as boot-systems.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export BOOTBENCH_WORK=${BOOTBENCH_WORK:-/var/tmp/bootbench}
WORK=$BOOTBENCH_WORK
newest=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1)
export KVER=${KVER:-${newest#/boot/vmlinuz-}}
KERNEL=/boot/vmlinuz-$KVER
RESULTS=$ROOT/bench/storage/results.md
N=1
if [ "${1:-}" = -n ]; then N=$2; shift 2; fi

anchors=initramfs-tools
command -v dracut >/dev/null && anchors+=,dracut-nosystemd
bash "$ROOT/bench/boot/boot-systems.sh" --build-only --only "$anchors" >&2
mkdir -p "$WORK/images" "$WORK/storage"
"$ROOT/liftoff" build --kernel-version "$KVER" -o "$WORK/images/liftoff.img" >&2
uuid=$(blkid -s UUID -o value "$WORK/root.img")

# The same machine as boot-systems.sh's, with the disk on another controller.
boot() {   # boot SYSTEM BUS RUN -> one TSV row on stdout
    local system=$1 bus=$2 run=$3 log=$WORK/storage/$1-$2-$3.log disk=$WORK/storage/root.img device
    cp --sparse=always "$WORK/root.img" "$disk"
    case $bus in
        nvme) device=(-drive "file=$disk,format=raw,if=none,id=d0" -device nvme,serial=bench,drive=d0) ;;
        virtio-scsi) device=(-device virtio-scsi-pci,id=scsi -drive "file=$disk,format=raw,if=none,id=d0"
                             -device scsi-hd,bus=scsi.0,drive=d0) ;;
    esac
    timeout -k 10 300 qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off -machine pc -cpu qemu64 -smp 1 \
        -m 1024 -rtc base=2025-01-02T00:00:00,clock=vm -nodefaults -display none -no-reboot \
        -serial "file:$log" -kernel "$KERNEL" -initrd "$WORK/images/$system.img" \
        -append "console=ttyS0 panic=-1 printk.time=1 idle=poll root=UUID=$uuid rw" "${device[@]}" \
        </dev/null >/dev/null 2>&1 || true
    # The root's init dumps dmesg as "DMESG [ t] ..." lines: take the kernel's own timestamps.
    tr -d '\r' <"$log" | awk -v s="$system" -v b="$bus" -v r="$run" '
        function ts(x) { sub(/^DMESG \[ */, "", x); sub(/\].*/, "", x); return x }
        /^DMESG \[/ { t = ts($0)
            if (init == "" && / Run .* as init process/) init = t
            if (mnt == "" && /EXT4-fs \(.*\): mounted/) mnt = t
            if (real == "" && /REAL-ROOT uptime=/) real = t }
        END { if (real == "") { print s "\t" b "\t" r "\tFAIL\t-\t-\t-\t-"; exit }
              printf "%s\t%s\t%s\tok\t%.3f\t%.3f\t%.3f\t%.3f\n", s, b, r, init, mnt, mnt - init, real }'
}

systems=(liftoff ${anchors//,/ })
rows=$WORK/storage/rows.tsv
: >"$rows"
for bus in nvme virtio-scsi; do
    for system in "${systems[@]}"; do
        for run in $(seq "$N"); do
            boot "$system" "$bus" "$run" | tee -a "$rows" >&2
        done
    done
done

{
    echo "# Boot to the mounted root on NVMe and virtio-scsi"
    echo
    echo "\`bench/storage/run.sh -n $N\`, $(date -u +%Y-%m-%d). Kernel $KVER; the root disk, the anchor images"
    echo "and the QEMU settings of bench/boot/boot-systems.sh (\`-accel tcg -icount shift=0,sleep=off"
    echo "-machine pc -cpu qemu64 -smp 1 -m 1024\`, \`idle=poll\`, \`root=UUID=$uuid rw\`), the disk as"
    echo "\`-device nvme\` or \`virtio-scsi-pci\` + \`scsi-hd\`. Times are the kernel's (virtual s since"
    echo "kernel start): \`Run /init\`, the kernel's \`EXT4-fs (...): mounted\` line, and the root's"
    echo "init writing REAL-ROOT to /dev/kmsg. liftoff is \`liftoff build\` with the defaults (all storage"
    echo "drivers, loaded by coldplug and uevents)."
    echo
    echo "| system | bus | run | status | Run /init s | root mounted s | /init → root mounted s | real init s |"
    echo "|---|---|---:|---|---:|---:|---:|---:|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | **%s** | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$rows"
} >"$RESULTS"
cat "$RESULTS"
