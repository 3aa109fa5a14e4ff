#!/bin/busybox sh
# /sbin/init of liftoff's demo root disk: report how the boot arrived here, then power off.
# The REAL-ROOT line is the boot timeline's last step; it goes to /dev/kmsg as well as the
# console so that it carries the kernel's µs timestamp (/proc/uptime has only 10 ms).
export PATH=/bin
# A stage 1 normally moves /proc and /dev here; mount them if it did not.
[ -r /proc/uptime ] || mount -t proc proc /proc
read -r up _ </proc/uptime
[ -w /dev/kmsg ] || mount -t devtmpfs devtmpfs /dev
# Field 5 of mountinfo is the mount point; after the "-" come the fs type and the source.
root=$(awk '$5 == "/" { for (i = 7; i <= NF; i++) if ($i == "-") d = $(i + 2) } END { print d }' /proc/self/mountinfo)
line="REAL-ROOT uptime=$up pid=$$ root=$root"
echo "$line" >/dev/kmsg
echo "$line"
echo "REAL-ROOT args=$*"
echo "liftoff demo root: /sbin/init is running as pid $$. Mounts:"
cat /proc/self/mountinfo
# The names a stage 1 linked for the real root (udev's /dev/disk/by-*), if it made any.
echo "REAL-ROOT disk links:"
ls -l /dev/disk/by-uuid /dev/disk/by-label /dev/disk/by-partuuid /dev/disk/by-partlabel 2>&1
poweroff -f
