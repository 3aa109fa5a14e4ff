#!/usr/bin/env bash
# bench/boot/boot-systems.sh: boots initramfs systems in QEMU with one kernel and one root disk, and
# tabulates how long each takes from kernel start to the exec of the real root's init.
#
# The machine: QEMU TCG with deterministic virtual time (-icount shift=0,sleep=off: one guest
# instruction is one nanosecond; the guest idles with idle=poll, see bench/boot/notes.md), -machine pc
# -cpu qemu64 -smp 1 -m 1024, the guest clock fixed at 2025-01-02. The root disk: 64 MiB of ext4, the
# same bytes every build, a fresh copy for every boot, on virtio-blk. Its /sbin/init is a busybox script
# that reads /proc/uptime first, prints "REAL-ROOT uptime=<s> pid=<pid> root=<source of />" on the
# console and to /dev/kmsg, dumps dmesg to the console as "DMESG ..." lines and powers off. The times
# are the kernel's own timestamps from that dmesg. The command line is
#   console=ttyS0 root=/dev/vda rw panic=-1 quiet printk.time=1 idle=poll   (plus --append words)
#
# Equal work: the root is mounted rw, and liftoff checks a root it mounts writable (e2fsck -p, when its
# image carries e2fsck, which it does by default). So does busybox-sh: its image carries the host's
# e2fsck with the shared libraries ldd names, and its /init runs "e2fsck -p" on the root before mounting
# it rw (exit status 0 and 1 go on, 2 and 3 reboot, 4 and above stop the boot, as liftoff does); the
# build fails if the host has no e2fsck. busybox-sh-nofsck is the same image without the check: the
# difference between the two is what the check costs. klibc-sh and tiny-initramfs never check;
# initramfs-tools and dracut check when their image carries a checker (initramfs-tools has one only
# when the build host's /etc/fstab names the root's filesystem). The "fsck" column says which: "e2fsck
# -p" (always), "none" (never), "in image" / "not in image" (e2fsck or fsck.ext* in the image or not).
#
# Systems (--list shows them with their command lines):
#   busybox-sh            hand-written busybox /init: insmod of the virtio drivers, e2fsck -p, switch_root; zstd -19
#   busybox-sh-nofsck     the same without e2fsck
#   busybox-sh-none       busybox-sh as an uncompressed cpio
#   klibc-sh              hand-written /init in klibc's dash with klibc's insmod/mount/run-init (klibc-utils)
#   initramfs-tools       the host's own /boot/initrd.img-$KVER
#   initramfs-tools-list  mkinitramfs with the host's configuration but MODULES=list + the virtio drivers
#   dracut                dracut --no-hostonly (systemd-based when systemd is installed); dracut-core
#   dracut-nosystemd      dracut --no-hostonly --omit systemd: dracut's shell init with udev
#   tiny-initramfs        mktirfs with the virtio drivers (tiny-initramfs-core)
#
# Usage:
#   bench/boot/boot-systems.sh [OPTION]...
#   bench/boot/boot-systems.sh -n 3 --only busybox-sh,initramfs-tools
#   bench/boot/boot-systems.sh --image mine=/tmp/initrd.img --append mine=debug --only busybox-sh,mine
# Options:
#   -n N                 boots per system (default 3)
#   --only A,B,...       only these systems (built-in or added with --image), in the order listed above
#   --skip A,B,...       leave these out
#   --image NAME=FILE    boot FILE as system NAME too (repeatable); it is never rebuilt
#   --append NAME=WORDS  add WORDS to NAME's kernel command line (repeatable)
#   --root NAME=SPEC     NAME's root=: a device (default /dev/vda), uuid (root=UUID=...), label
#                        (root=LABEL=...) or none (no root=); klibc-sh understands devices only
#   --idle poll|halt     the guest's idle loop (default poll; halt spreads the times, see notes.md)
#   --reuse              keep the images already in the work directory instead of building them again
#   --build-only         build the root disk and the images, boot nothing
#   --timeout S          host seconds before a boot is killed (default 300)
#   --results FILE       the markdown report (default bench/boot/results.md)
#   --list               print the systems and their command lines, then exit
#   -h, --help           this text
# Environment:
#   KVER                 the kernel under test (default: the newest /boot/vmlinuz-*-cloud-amd64); its
#                        modules in /lib/modules/$KVER
#   BOOTBENCH_WORK       work directory (default /var/tmp/bootbench): root.img, images/NAME.img,
#                        logs/NAME-RUN.txt (console of each boot), results.tsv (one row per boot)
#   BUSYBOX              static busybox for the root disk and busybox-sh (default /bin/busybox)
#   QEMU, QEMU_EXTRA     the emulator (default qemu-system-x86_64) and extra arguments for it
# Needs: qemu-system-x86, e2fsprogs, busybox-static, cpio, zstd, kmod; root for the device nodes and
# the anchors' builders; klibc-utils, tiny-initramfs-core and dracut-core for those anchors (a system
# whose builder is missing is reported as not built). The image facts (compression, unpacked bytes,
# fsck) are read with this checkout's ./liftoff cpio list.
# Exit status: 0 when every selected system reached the real root in every boot, 1 when one did not
# (or did not build), 2 on usage errors.
set -uo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
newest_cloud_kernel() {
  local newest
  newest=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1)
  [ -n "$newest" ] && echo "${newest#/boot/vmlinuz-}"
}
KVER=${KVER:-$(newest_cloud_kernel)}
KERNEL=/boot/vmlinuz-$KVER
WORK=${BOOTBENCH_WORK:-/var/tmp/bootbench}
BUSYBOX=${BUSYBOX:-/bin/busybox}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_EXTRA=${QEMU_EXTRA:-}
N=3 ONLY= SKIP= IDLE=poll REUSE=0 BUILD_ONLY=0 TIMEOUT=300 LIST=0
RESULTS=$HERE/results.md
IMAGES=() APPENDS=() ROOTS=()

# The root disk's fixed identity and timestamps, so every build writes the same bytes.
DISK_UUID=b0075eed-0000-4000-8000-000000000001
DISK_LABEL=benchroot
FAKE_TIME=1735689600                  # 2025-01-01T00:00:00Z: file and superblock times
GUEST_CLOCK=2025-01-02T00:00:00       # a day later, so e2fsck finds no time in the future
VIRTIO_MODULES="virtio_pci virtio_blk"

usage_error() { echo "boot-systems.sh: $*" >&2; exit 2; }
say() { echo "[boot-systems] $*" >&2; }

# The command line again for the report's re-run line, quoting only the words that need it.
ARGV=
for word in "$@"; do
  if [[ $word =~ ^[A-Za-z0-9,./=_+:@-]+$ ]]; then ARGV+=" $word"; else ARGV+=" $(printf '%q' "$word")"; fi
done
while [ $# -gt 0 ]; do
  case $1 in
    -n) N=${2-}; shift 2 || usage_error "-n wants a number" ;;
    --only) ONLY=${2-}; shift 2 || usage_error "--only wants A,B,..." ;;
    --skip) SKIP=${2-}; shift 2 || usage_error "--skip wants A,B,..." ;;
    --image) IMAGES+=("${2-}"); shift 2 || usage_error "--image wants NAME=FILE" ;;
    --append) APPENDS+=("${2-}"); shift 2 || usage_error "--append wants NAME=WORDS" ;;
    --root) ROOTS+=("${2-}"); shift 2 || usage_error "--root wants NAME=SPEC" ;;
    --idle) IDLE=${2-}; shift 2 || usage_error "--idle wants poll or halt" ;;
    --timeout) TIMEOUT=${2-}; shift 2 || usage_error "--timeout wants seconds" ;;
    --results) RESULTS=${2-}; shift 2 || usage_error "--results wants a file" ;;
    --reuse) REUSE=1; shift ;;
    --build-only) BUILD_ONLY=1; shift ;;
    --list) LIST=1; shift ;;
    -h|--help) sed -n '2,/^set -uo pipefail/{/^set /d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
    *) usage_error "$1: unknown option (see --help)" ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ ]] || usage_error "-n $N: not a positive number"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || usage_error "--timeout $TIMEOUT: not a positive number"
[[ $IDLE == poll || $IDLE == halt ]] || usage_error "--idle $IDLE: not poll or halt"

# ------------------------------------------------------------------ the systems
# Per system: its builder (a function taking the output file; "-" for --image), its image file,
# its root= spec, extra command line words, what it does about fsck (always/never/image), a note.
SYSTEMS=()
declare -A BUILDER FILE ROOT EXTRA FSCK NOTE

# register NAME BUILDER FSCK NOTE
register() {
  SYSTEMS+=("$1")
  BUILDER[$1]=$2 FILE[$1]=$WORK/images/$1.img ROOT[$1]=/dev/vda EXTRA[$1]= FSCK[$1]=$3 NOTE[$1]=$4
}
register busybox-sh build_busybox_sh always \
  "hand-written busybox /init (static busybox; insmod of the virtio drivers; the host's e2fsck with its libraries, run as e2fsck -p on the rw root; switch_root), cpio zstd -19"
register busybox-sh-nofsck build_busybox_sh_nofsck never "busybox-sh without e2fsck, cpio zstd -19"
register busybox-sh-none build_busybox_sh_none always "busybox-sh as an uncompressed cpio"
register klibc-sh build_klibc_sh never \
  "hand-written /init in klibc's dash with klibc's insmod/mount/run-init (klibc-utils), no busybox, cpio zstd -19"
register initramfs-tools build_initramfs_tools image "the host's /boot/initrd.img-$KVER as it is"
register initramfs-tools-list build_initramfs_tools_list image \
  "mkinitramfs with a copy of /etc/initramfs-tools, MODULES=list and the modules $VIRTIO_MODULES"
register dracut build_dracut image "dracut --no-hostonly with its defaults (systemd-based when systemd is installed)"
register dracut-nosystemd build_dracut_nosystemd image "dracut --no-hostonly --omit systemd: dracut's shell init with udev"
register tiny-initramfs build_tiny_initramfs never "mktirfs -m no -M no -d no --include-modules=${VIRTIO_MODULES// /,} (tiny-initramfs-core)"

for spec in "${IMAGES[@]+"${IMAGES[@]}"}"; do
  name=${spec%%=*} file=${spec#*=}
  [[ $spec == *=?* && $name =~ ^[A-Za-z0-9._+-]+$ ]] || usage_error "--image $spec: not NAME=FILE"
  [ -n "${BUILDER[$name]+set}" ] && usage_error "--image $name: a system of that name exists"
  SYSTEMS+=("$name")
  BUILDER[$name]=- FILE[$name]=$(readlink -f "$file") ROOT[$name]=/dev/vda EXTRA[$name]= FSCK[$name]=image
  NOTE[$name]="the image $file"
done
for spec in "${APPENDS[@]+"${APPENDS[@]}"}"; do
  name=${spec%%=*}
  [[ $spec == *=* && -n ${BUILDER[$name]+set} ]] || usage_error "--append $spec: not NAME=WORDS for a known system"
  EXTRA[$name]+=" ${spec#*=}"
done
for spec in "${ROOTS[@]+"${ROOTS[@]}"}"; do
  name=${spec%%=*}
  [[ $spec == *=?* && -n ${BUILDER[$name]+set} ]] || usage_error "--root $spec: not NAME=SPEC for a known system"
  ROOT[$name]=${spec#*=}
done

SELECTED=()
for name in ${ONLY//,/ } ${SKIP//,/ }; do
  [ -n "${BUILDER[$name]+set}" ] || usage_error "$name: no such system (see --list)"
done
for name in "${SYSTEMS[@]}"; do
  [ -n "$ONLY" ] && [[ ",$ONLY," != *",$name,"* ]] && continue
  [[ ",$SKIP," == *",$name,"* ]] && continue
  SELECTED+=("$name")
done
[ ${#SELECTED[@]} -gt 0 ] || usage_error "no system selected"

cmdline() {
  local root
  case ${ROOT[$1]} in
    none) root= ;;
    uuid) root=root=UUID=$DISK_UUID ;;
    label) root=root=LABEL=$DISK_LABEL ;;
    *) root=root=${ROOT[$1]} ;;
  esac
  local words="console=ttyS0 $root rw panic=-1 quiet printk.time=1"
  [ "$IDLE" = poll ] && words+=" idle=poll"
  echo "$words${EXTRA[$1]}" | tr -s ' '
}

if [ $LIST = 1 ]; then
  for name in "${SYSTEMS[@]}"; do
    printf '%-21s %s\n%21s cmdline: %s\n' "$name" "${NOTE[$name]}" "" "$(cmdline "$name")"
  done
  exit 0
fi

# ------------------------------------------------------------------ building blocks
# newc cpio of a directory's contents on stdout: sorted, owned by root, fixed mtimes, so the same
# tree gives the same bytes.
cpio_of() {
  (cd "$1" && find . -mindepth 1 -exec touch -h -d "@$FAKE_TIME" {} + &&
    find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --reproducible --quiet)
}

# The virtio drivers and what they depend on, in load order, one module file a line (built-in ones
# are left out: modprobe says "builtin" for them).
virtio_module_files() {
  modprobe -S "$KVER" --show-depends -a $VIRTIO_MODULES | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

# copy_modules DIR: the virtio drivers into DIR, uncompressed, and their load order into DIR/order.
copy_modules() {
  local files file name
  files=$(virtio_module_files) || return 1
  : >"$1/order"
  for file in $files; do
    name=${file##*/} name=${name%%.ko*}.ko
    case $file in
      *.ko) cp "$file" "$1/$name" ;;
      *.ko.xz) xz -dc "$file" >"$1/$name" ;;
      *.ko.zst) zstd -qdc "$file" >"$1/$name" ;;
      *.ko.gz) gzip -dc "$file" >"$1/$name" ;;
      *) echo "$file: unknown module compression" >&2; return 1 ;;
    esac || return 1
    echo "$name" >>"$1/order"
  done
}

# copy_with_libraries PROGRAM DIR: PROGRAM into DIR/bin, and the loader and libraries ldd names at
# their own paths under DIR.
copy_with_libraries() {
  local library
  cp "$1" "$2/bin/" || return 1
  for library in $(ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
    mkdir -p "$2${library%/*}" && cp -L "$library" "$2$library" || return 1
  done
}

# ------------------------------------------------------------------ the root disk
build_root_disk() {
  local tree=$WORK/root-tree
  rm -rf "$tree" && mkdir -p "$tree"/{bin,sbin,dev,proc,sys,run,tmp,etc} || return 1
  cp "$BUSYBOX" "$tree/bin/busybox" && ln -s busybox "$tree/bin/sh" || return 1
  cp "$HERE/real-root-init.sh" "$tree/sbin/init" || return 1
  printf 'NAME="boot benchmark root"\nID=bootbench\n' >"$tree/etc/os-release"
  : >"$tree/etc/fstab"
  find "$tree" -exec touch -h -d "@$FAKE_TIME" {} +
  rm -f "$WORK/root.img"
  E2FSPROGS_FAKE_TIME=$FAKE_TIME mke2fs -q -F -t ext4 -L "$DISK_LABEL" -U "$DISK_UUID" \
    -E "hash_seed=$DISK_UUID,root_owner=0:0" -d "$tree" "$WORK/root.img" 64M >/dev/null
  local status=$?
  rm -rf "$tree"
  return $status
}

# ------------------------------------------------------------------ builders (argument: the image file)
# busybox_sh OUT COMPRESSOR FSCK: COMPRESSOR "" writes a plain cpio; FSCK yes carries e2fsck.
busybox_sh() {
  local out=$1 compressor=$2 fsck=$3 dir applet e2fsck
  dir=$(mktemp -d "$WORK/stage.XXXXXX") || return 1
  mkdir -p "$dir"/{bin,dev,proc,sys,newroot,etc,lib/modules}
  cp "$BUSYBOX" "$dir/bin/busybox" || return 1
  for applet in sh mount insmod switch_root usleep findfs reboot; do ln -s busybox "$dir/bin/$applet"; done
  mknod -m 600 "$dir/dev/console" c 5 1 && mknod -m 666 "$dir/dev/null" c 1 3 || return 1
  copy_modules "$dir/lib/modules" || return 1
  if [ "$fsck" = yes ]; then
    e2fsck=$(PATH=/usr/sbin:/sbin:$PATH command -v e2fsck) ||
      { echo "busybox-sh: the host has no e2fsck (apt-get install e2fsprogs)" >&2; return 1; }
    copy_with_libraries "$e2fsck" "$dir" || return 1
    ln -s /proc/self/mounts "$dir/etc/mtab"     # where e2fsck looks whether the device is mounted
  fi
  cp "$HERE/busybox-sh-init.sh" "$dir/init" || return 1
  if [ -n "$compressor" ]; then cpio_of "$dir" | $compressor >"$out"; else cpio_of "$dir" >"$out"; fi
  local status=$?
  rm -rf "$dir"
  return $status
}
build_busybox_sh() { busybox_sh "$1" "zstd -q -19" yes; }
build_busybox_sh_nofsck() { busybox_sh "$1" "zstd -q -19" no; }
build_busybox_sh_none() { busybox_sh "$1" "" yes; }

build_klibc_sh() {
  local out=$1 dir program library
  library=$(ls /usr/lib/klibc-*.so 2>/dev/null | head -1)
  [ -n "$library" ] || { echo "klibc-sh: klibc-utils is not installed" >&2; return 1; }
  dir=$(mktemp -d "$WORK/stage.XXXXXX") || return 1
  mkdir -p "$dir"/{bin,lib,dev,proc,sys,newroot,modules}
  for program in sh mount insmod run-init sleep; do cp "/usr/lib/klibc/bin/$program" "$dir/bin/" || return 1; done
  cp "$library" "$dir/lib/" || return 1
  mknod -m 600 "$dir/dev/console" c 5 1 && mknod -m 666 "$dir/dev/null" c 1 3 || return 1
  copy_modules "$dir/modules" || return 1
  cp "$HERE/klibc-sh-init.sh" "$dir/init" || return 1
  cpio_of "$dir" | zstd -q -19 >"$out"
  local status=$?
  rm -rf "$dir"
  return $status
}

build_initramfs_tools() {
  [ -s "/boot/initrd.img-$KVER" ] || { echo "initramfs-tools: no /boot/initrd.img-$KVER" >&2; return 1; }
  cp "/boot/initrd.img-$KVER" "$1"
}

build_initramfs_tools_list() {
  command -v mkinitramfs >/dev/null || { echo "initramfs-tools-list: initramfs-tools is not installed" >&2; return 1; }
  local config=$WORK/initramfs-tools-list.conf
  rm -rf "$config" && cp -a /etc/initramfs-tools "$config" || return 1
  sed -i 's/^MODULES=.*/MODULES=list/' "$config/initramfs.conf"
  printf '%s\n' $VIRTIO_MODULES >>"$config/modules"
  mkinitramfs -d "$config" -o "$1" "$KVER"
  local status=$?
  rm -rf "$config"
  return $status
}

build_dracut() {
  command -v dracut >/dev/null || { echo "dracut: not installed (apt-get install dracut-core)" >&2; return 1; }
  dracut --force --quiet --no-hostonly --no-hostonly-cmdline --tmpdir "$WORK/tmp" --kver "$KVER" "$@"
}
build_dracut_nosystemd() { build_dracut "$1" --omit " systemd "; }

build_tiny_initramfs() {
  command -v mktirfs >/dev/null || { echo "tiny-initramfs: mktirfs is not installed (apt-get install tiny-initramfs-core)" >&2; return 1; }
  mktirfs -o "$1" -m no -M no -d no --include-modules="${VIRTIO_MODULES// /,}" "$KVER"
}

# ------------------------------------------------------------------ facts about an image
# image_facts FILE -> "COMPRESSION<TAB>UNPACKED BYTES<TAB>CHECKER" from liftoff's cpio reader, which
# walks every segment (early microcode, compressed main archive, ...); CHECKER is yes when the image
# holds e2fsck or fsck.ext*.
image_facts() {
  local segments checker=no
  segments=$("$REPO/liftoff" cpio list --segments "$1" 2>/dev/null) || { printf -- '-\t-\t-\n'; return; }
  "$REPO/liftoff" cpio list "$1" 2>/dev/null | grep -qE '(^|/)(e2fsck|fsck\.ext[234])$' && checker=yes
  awk -v checker="$checker" 'NR > 1 { compression = compression (NR > 2 ? "+" : "") $3; unpacked += $5 }
    END { printf "%s\t%d\t%s\n", compression, unpacked, checker }' <<<"$segments"
}

fsck_cell() {   # fsck_cell SYSTEM CHECKER-IN-IMAGE
  case ${FSCK[$1]} in
    always) echo "e2fsck -p" ;;
    never) echo none ;;
    *) case $2 in yes) echo "in image" ;; no) echo "not in image" ;; *) echo "?" ;; esac ;;
  esac
}

# ------------------------------------------------------------------ build
[ -n "$KVER" ] || usage_error "no /boot/vmlinuz-*-cloud-amd64; set KVER"
for tool in "$QEMU" mke2fs cpio zstd modprobe timeout; do
  command -v "$tool" >/dev/null || usage_error "$tool is missing (see --help: Needs)"
done
[ -r "$KERNEL" ] || usage_error "$KERNEL: not readable"
[ -d "/lib/modules/$KVER" ] || usage_error "/lib/modules/$KVER: no such directory"
[ -x "$BUSYBOX" ] || usage_error "$BUSYBOX: no busybox (apt-get install busybox-static)"

mkdir -p "$WORK"/{images,logs,tmp} || exit 1
rm -f "$WORK"/logs/*
say "work directory $WORK, kernel $KVER"
build_root_disk || { echo "boot-systems.sh: cannot build the root disk" >&2; exit 1; }

# BUILT: "ok" or why not; HOW: how the image came to be, for the report.
declare -A BUILT HOW COMPRESSION UNPACKED CHECKER
FAILED=0
for name in "${SELECTED[@]}"; do
  file=${FILE[$name]}
  if [ "${BUILDER[$name]}" = - ]; then
    HOW[$name]=given
  elif [ $REUSE = 1 ] && [ -s "$file" ]; then
    HOW[$name]="reused from an earlier run"
  else
    say "building $name"
    rm -f "$file"
    start=$EPOCHREALTIME
    ( "${BUILDER[$name]}" "$file" ) >"$WORK/logs/build-$name.txt" 2>&1 || rm -f "$file"
    HOW[$name]="built in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
  fi
  if [ -s "$file" ]; then
    BUILT[$name]=ok
  else
    BUILT[$name]="not built: $(tail -1 "$WORK/logs/build-$name.txt" 2>/dev/null || echo "no file $file")"
    say "$name: ${BUILT[$name]}"
    FAILED=1
  fi
  if [ "${BUILT[$name]}" = ok ]; then
    IFS=$'\t' read -r COMPRESSION[$name] UNPACKED[$name] CHECKER[$name] < <(image_facts "$file")
    say "$name: $(stat -c %s "$file") bytes, ${COMPRESSION[$name]}, ${UNPACKED[$name]} unpacked, fsck: $(fsck_cell "$name" "${CHECKER[$name]}")"
  fi
done
rm -rf "$WORK"/stage.* "$WORK"/tmp/*
[ $BUILD_ONLY = 1 ] && exit $FAILED

# ------------------------------------------------------------------ boot
QEMU_ARGS=(-accel tcg -icount shift=0,sleep=off -machine pc -cpu qemu64 -smp 1 -m 1024
           -rtc "base=$GUEST_CLOCK,clock=vm" -nodefaults -display none -no-reboot)
TSV=$WORK/results.tsv
printf 'system\trun\tstatus\tuptime\tkmsg_marker\trun_init\tinitrd_freed\tvda\troot_mounted\tpid\troot\twall_marker\twall_total\tqemu_status\n' >"$TSV"

# boot SYSTEM RUN: one boot on a fresh copy of the root disk; appends its row to $TSV.
boot() {
  local name=$1 run=$2 console=$WORK/logs/$1-$2.console disk=$WORK/boot-root.img start marker_at status end
  cp --sparse=always "$WORK/root.img" "$disk"
  : >"$console"
  start=$EPOCHREALTIME
  # shellcheck disable=SC2086  # QEMU_EXTRA is a list of words
  timeout -k 10 "$TIMEOUT" "$QEMU" "${QEMU_ARGS[@]}" -serial "file:$console" \
    -kernel "$KERNEL" -initrd "${FILE[$name]}" -append "$(cmdline "$name")" \
    -drive "file=$disk,format=raw,if=virtio" $QEMU_EXTRA </dev/null >"$WORK/logs/$name-$run.qemu" 2>&1 &
  local qemu=$!
  # The host time when the marker reaches the console, while QEMU runs on.
  marker_at=$(tail --pid=$qemu -n +1 -F "$console" 2>/dev/null |
    while IFS= read -r line; do case $line in *"REAL-ROOT uptime="*) echo "$EPOCHREALTIME"; break ;; esac; done)
  wait $qemu
  status=$? end=$EPOCHREALTIME
  tr -d '\r' <"$console" >"$WORK/logs/$name-$run.txt" && rm -f "$console"
  awk -v name="$name" -v run="$run" -v start="$start" -v marker_at="$marker_at" -v end="$end" -v status="$status" '
    function stamp(line) { sub(/^DMESG \[ */, "", line); sub(/\].*/, "", line); return line }
    function cell(x) { return x == "" ? "-" : x }
    /^REAL-ROOT uptime=/ && !marker { marker = 1
      for (i = 2; i <= NF; i++) { key = $i; sub(/=.*/, "", key); value[key] = substr($i, length(key) + 2) } }
    /^DMESG \[/ { t = stamp($0)
      if (run_init == "" && / Run .* as init process/) run_init = t
      if (freed == "" && /Freeing initrd memory/) freed = t
      if (vda == "" && /\[vda\]/) vda = t
      if (mounted == "" && /EXT4-fs \(vda\): mounted/) mounted = t
      if (kmsg == "" && /REAL-ROOT uptime=/) kmsg = t }
    END {
      verdict = marker ? "ok" : (status == 124 || status == 137 ? "timeout" : "failed")
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%s\n", name, run, verdict,
        cell(value["uptime"]), cell(kmsg), cell(run_init), cell(freed), cell(vda), cell(mounted),
        cell(value["pid"]), cell(value["root"]), marker_at == "" ? "-" : sprintf("%.2f", marker_at - start),
        end - start, status }' "$WORK/logs/$name-$run.txt" >>"$TSV"
}

for name in "${SELECTED[@]}"; do
  [ "${BUILT[$name]}" = ok ] || continue
  for run in $(seq "$N"); do
    boot "$name" "$run"
    IFS=$'\t' read -r _ _ verdict _ kmsg run_init _ _ _ _ _ wall _ _ < <(tail -1 "$TSV")
    say "$name boot $run: $verdict, Run /init $run_init s, real init $kmsg s (virtual), $wall s host (console: $WORK/logs/$name-$run.txt)"
    [ "$verdict" = ok ] || FAILED=1
  done
done
rm -f "$WORK/boot-root.img"

# ------------------------------------------------------------------ report
# One row per system: means over its good boots, spreads (max - min) of the marker.
summary() {
  local name
  for name in "${SELECTED[@]}"; do
    if [ "${BUILT[$name]}" = ok ]; then
      printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$(fsck_cell "$name" "${CHECKER[$name]}")" "$(stat -c %s "${FILE[$name]}")" \
        "${COMPRESSION[$name]}" "${UNPACKED[$name]}"
    else
      printf '%s\t%s\t-\tnot built\t-\n' "$name" "$(fsck_cell "$name" -)"
    fi
  done >"$WORK/facts.tsv"
  awk -F'\t' '
    function add(key, x) { if (x == "-") return; x += 0; count[key]++; sum[key] += x
      if (!(key in low) || x < low[key]) low[key] = x; if (!(key in high) || x > high[key]) high[key] = x }
    function mean(key, format) { return key in count ? sprintf(format, sum[key] / count[key]) : "-" }
    function spread(key, scale) { return key in count ? sprintf("%.0f", (high[key] - low[key]) * scale) : "-" }
    FNR == NR { order[++systems] = $1; fact[$1] = $2 " | " $3 " | " $4 " | " $5; next }
    FNR > 1 { boots[$1]++; if ($3 != "ok") next; good[$1]++
      add($1 SUBSEP "kmsg", $5); add($1 SUBSEP "init", $6); add($1 SUBSEP "vda", $8); add($1 SUBSEP "mounted", $9)
      if ($5 != "-" && $6 != "-") add($1 SUBSEP "user", $5 - $6)
      add($1 SUBSEP "uptime", $4); add($1 SUBSEP "wall", $12) }
    END {
      print "| system | fsck | image bytes | compression | unpacked bytes | ok/boots | real init s | spread ms | Run /init s | /init to real init s | vda s | root mounted s | uptime s | host s to marker |"
      print "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      for (i = 1; i <= systems; i++) { s = order[i]
        printf "| %s | %s | %d/%d | %s | %s | %s | %s | %s | %s | %s | %s |\n", s, fact[s], good[s], boots[s] + 0,
          mean(s SUBSEP "kmsg", "%.3f"), spread(s SUBSEP "kmsg", 1000), mean(s SUBSEP "init", "%.3f"),
          mean(s SUBSEP "user", "%.3f"), mean(s SUBSEP "vda", "%.3f"), mean(s SUBSEP "mounted", "%.3f"),
          mean(s SUBSEP "uptime", "%.2f"), mean(s SUBSEP "wall", "%.1f") } }' "$WORK/facts.tsv" "$TSV"
}

TABLE=$(summary)
echo
echo "$TABLE"
{
  echo "# Boot time: kernel start to the real root's init"
  echo
  echo "\`bench/boot/boot-systems.sh$ARGV\` on $(date -u +%Y-%m-%dT%H:%MZ); $N boot(s) per system, one QEMU at a time,"
  echo "$(nproc) host cores, $("$QEMU" --version | head -1)."
  echo
  echo "- kernel \`$KERNEL\`, its modules from \`/lib/modules/$KVER\`"
  echo "- QEMU \`${QEMU_ARGS[*]}${QEMU_EXTRA:+ $QEMU_EXTRA}\`, the root disk (64 MiB ext4, UUID $DISK_UUID, a fresh copy each boot) on \`-drive if=virtio\`"
  echo "- times are virtual seconds since kernel start (1 guest instruction = 1 ns): compare systems with each"
  echo "  other, they are not real-hardware times (bench/boot/notes.md)"
  echo "- equal work: the root is mounted rw; *fsck* says whether the system checks it first (\`e2fsck -p\`:"
  echo "  always, as liftoff does when its image carries e2fsck; *in image* / *not in image*: the system runs"
  echo "  the checker its image carries; *none*: never)"
  echo
  echo "$TABLE"
  echo
  echo "*real init* is the kernel's timestamp of the REAL-ROOT line the real root's init writes to /dev/kmsg"
  echo "(mean; *spread* is max - min over the boots); *Run /init*, *vda* (virtio_blk's \`[vda]\`) and *root"
  echo "mounted* (\`EXT4-fs (vda): mounted\`) are the kernel's timestamps of those lines; */init to real init* is"
  echo "the time spent in the initramfs's userspace; *uptime* is /proc/uptime as the real init read it (10 ms"
  echo "steps); *host s to marker* is the host's wall time from starting QEMU to the marker on the console."
  echo
  echo "## Systems"
  echo
  for name in "${SELECTED[@]}"; do
    echo "- **$name**: ${NOTE[$name]}. Image: ${BUILT[$name]}, ${HOW[$name]}. Command line: \`$(cmdline "$name")\`"
  done
  echo
  echo "## Every boot"
  echo
  echo "| system | boot | status | uptime | real init | Run /init | initrd freed | vda | root mounted | pid | root | host s to marker | host s total | QEMU exit |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
  tail -n +2 "$TSV" | awk -F'\t' '{ line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line }'
} >"$RESULTS"
say "wrote $RESULTS (per boot: $TSV, consoles: $WORK/logs)"
[ $FAILED = 0 ] || { say "not every system reached the real root in every boot"; exit 1; }
