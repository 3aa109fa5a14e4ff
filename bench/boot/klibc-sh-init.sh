#!/bin/sh
# /init of the klibc-sh image (boot-systems.sh), run by klibc's dash with klibc's tools: the steps of
# busybox-sh-init.sh without fsck and without root=UUID=/LABEL= (klibc has no findfs).
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
root=/dev/vda mode=ro fstype=ext4 init=/sbin/init
read -r cmdline </proc/cmdline
for arg in $cmdline; do
  case $arg in
    root=*) root=${arg#root=} ;;
    rootfstype=*) fstype=${arg#rootfstype=} ;;
    init=*) init=${arg#init=} ;;
    rw|ro) mode=$arg ;;
  esac
done
while read -r module; do insmod "/modules/$module"; done </modules/order
tries=0
until [ -b "$root" ]; do
  tries=$((tries + 1))
  [ $tries -gt 10000 ] && { echo "klibc-sh: no root $root"; exit 1; }
  sleep 0.001
done
mount -t "$fstype" -o "$mode" "$root" /newroot || { echo "klibc-sh: cannot mount $root"; exit 1; }
for fs in dev proc sys; do mount -o move "/$fs" "/newroot/$fs"; done
exec run-init /newroot "$init"
