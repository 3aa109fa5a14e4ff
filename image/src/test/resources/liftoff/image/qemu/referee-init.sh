#!/bin/busybox sh
# /init of the cpio referee images: the kernel unpacked the archive; check that it unpacked what
# liftoff cpio wrote, print TREE-OK or TREE-BAD with the reason, and power off.
export PATH=/bin
/bin/busybox --install -s /bin
bad() { echo "TREE-BAD $*"; busybox poweroff -f; }
[ "$(cat /data/hello.txt)" = "hello from liftoff cpio" ] || bad "hello.txt content"
[ -f /data/empty ] && [ ! -s /data/empty ] || bad "empty file"
[ "$(busybox readlink /data/link)" = "hello.txt" ] || bad "symlink target"
[ "$(busybox stat -c %i /data/hard-a)" = "$(busybox stat -c %i /data/hard-b)" ] || bad "hard links share an inode"
[ "$(busybox stat -c %h /data/hard-a)" = 2 ] || bad "hard link count"
[ "$(cat /data/hard-b)" = "linked" ] || bad "hard link content"
[ "$(busybox stat -c %a /data/private)" = 700 ] || bad "directory mode"
[ -c /data/null ] && [ "$(busybox stat -c %t:%T /data/null)" = 1:3 ] || bad "character device from the spec"
[ -p /data/fifo ] || bad "fifo from the spec"
[ -f "/data/deep/a/b/c/d/e/f/g/h/i/j/leaf" ] || bad "deep path"
if [ -d /seg ]; then
    [ "$(cat /seg/gzip /seg/zstd /seg/xz /seg/lz4)" = gzzsxzlz ] || bad "one file from each compressed segment"
    [ "$(cat /data/replaced)" = last ] || bad "a later segment's entry replaces the earlier one"
fi
echo TREE-OK
busybox poweroff -f
