#!/bin/busybox sh
# /init of the tests' busybox initramfs, a stand-in for liftoff's init: load the modules listed in
# /etc/modules (dependencies first), wait for root=, mount it read-only, switch_root to init=.
# It logs liftoff's timeline markers to /dev/kmsg, so one boot exercises the whole vocabulary, and
# hands its own arguments (the kernel's words after "--") on to the real init.
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mark() { echo "liftoff: $*" >/dev/kmsg; }
mark started
root=/dev/vda init=/sbin/init
for word in $(cat /proc/cmdline); do
  case $word in root=*) root=${word#root=} ;; init=*) init=${word#init=} ;; esac
done
while read -r module; do insmod "/lib/modules/$module.ko" || exit 1; done </etc/modules
mark modules loaded
tries=0
until [ -b "$root" ]; do
  tries=$((tries + 1)); [ $tries -gt 5000 ] && { echo "test init: no $root after 5 s"; exit 1; }
  usleep 1000
done
mark root device found "$root"
mount -t ext4 -o ro "$root" /newroot || exit 1
mark root mounted "$root" on /newroot "(ext4, ro)"
# The last marker before /dev moves away from under /dev/kmsg.
mark exec "$init"
for fs in dev proc sys; do mount --move /$fs /newroot/$fs; done
exec switch_root /newroot "$init" "$@"
