#!/bin/busybox sh
# /sbin/init of the boot benchmark's root disk (boot-systems.sh): the time first, then the REAL-ROOT
# marker on the console and in the kernel log, the kernel log as DMESG lines, power off.
b=/bin/busybox
if read -r uptime _ </proc/uptime; then note=; else
  $b mount -t proc proc /proc; read -r uptime _ </proc/uptime; note=" (/proc mounted by the real init)"
fi
[ -e /dev/kmsg ] || $b mount -t devtmpfs devtmpfs /dev
echo "<6>REAL-ROOT uptime=$uptime pid=$$" >/dev/kmsg
root=$($b awk '$5 == "/" { for (i = 7; i <= NF; i++) if ($i == "-") source = $(i + 2) } END { print source }' /proc/self/mountinfo)
echo "REAL-ROOT uptime=$uptime pid=$$ root=$root"
echo "REAL-ROOT-INFO$note mount=$($b awk '$5 == "/" { line = $0 } END { print line }' /proc/self/mountinfo)"
echo "REAL-ROOT-INFO cmdline=$($b cat /proc/cmdline)"
$b dmesg | $b sed 's/^/DMESG /'
echo "REAL-ROOT-END"
$b poweroff -f
