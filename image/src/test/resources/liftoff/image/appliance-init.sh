#!/bin/busybox sh
# /sbin/init of an appliance whose whole system is the initramfs (root=initramfs): say where it runs,
# then do what a container runtime does, pivot_root into a fresh tmpfs, which rootfs would refuse.
export PATH=/bin
# fstype MOUNTINFO POINT: field 5 of mountinfo is the mount point; after the "-" comes the type.
fstype() {
    busybox awk -v at="$2" '$5 == at { for (i = 7; i <= NF; i++) if ($i == "-") t = $(i + 1) } END { print t }' "$1"
}
echo "APPLIANCE pid=$$ root=$(fstype /proc/self/mountinfo /) marker=$LIFTOFF_TMPFS_ROOT kept=$(ls -d /init /jre/bin/java | tr '\n' ' ')"
mkdir -p /next
mount -t tmpfs next /next
mkdir /next/bin /next/old
cp /bin/busybox /next/bin/busybox
cd /next
if pivot_root . old; then
    cd /
    # /proc stayed with the old root, now at /old.
    echo "APPLIANCE pivot_root done: / is $(fstype /old/proc/self/mountinfo /), the image is at /old ($(fstype /old/proc/self/mountinfo /old))"
else
    echo "APPLIANCE pivot_root failed"
fi
busybox poweroff -f
