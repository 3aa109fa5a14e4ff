#!/bin/busybox sh
# /init of the busybox-sh images (boot-systems.sh): the API filesystems, the virtio drivers in the
# order modprobe gives (lib/modules/order), wait for the root, check it with e2fsck -p when it is to
# be writable and the image has e2fsck (as liftoff does: 0 and 1 go on, 2 and 3 reboot, 4 and above
# stop), mount it, switch_root.
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
while read -r module; do insmod "/lib/modules/$module"; done </lib/modules/order
tries=0
while :; do
  case $root in UUID=*|LABEL=*) dev=$(findfs "$root" 2>/dev/null) ;; *) dev=$root ;; esac
  [ -b "$dev" ] && break
  tries=$((tries + 1))
  [ $tries -gt 10000 ] && { echo "busybox-sh: no root $root"; exit 1; }
  usleep 1000
done
if [ $mode = rw ] && [ -x /bin/e2fsck ]; then
  case $fstype in
    ext2|ext3|ext4)
      e2fsck -p "$dev"
      status=$?
      [ $status -ge 4 ] && { echo "busybox-sh: e2fsck $dev: exit status $status"; exit 1; }
      [ $((status & 2)) = 0 ] || reboot -f ;;
  esac
fi
mount -t "$fstype" -o "$mode" "$dev" /newroot || { echo "busybox-sh: cannot mount $dev"; exit 1; }
for fs in dev proc sys; do mount --move "/$fs" "/newroot/$fs"; done
exec switch_root /newroot "$init"
