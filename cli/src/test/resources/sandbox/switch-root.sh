#!/bin/bash
# Runs one `liftoff switch-root` inside a private mount namespace (unshare --mount --pid --fork),
# against a real old root and a real new root, then reports what it sees. Called by
# SwitchRootSandboxTest; everything it mounts disappears with the namespace.
#
#   switch-root.sh WORKDIR OLDROOT_FS NEWROOT_FS JAVA CLASSPATH -- SWITCH-ROOT-ARGS...
#
# OLDROOT_FS, NEWROOT_FS: tmpfs or ext4 (a loop-mounted image).
# The old root gets: a canary tree (regular files, a FIFO, a non-UTF-8 name, nested directories,
# a hard link), a /dev/console node below the devtmpfs mount, a writable bind mount at /canary that must survive, a symlink into it,
# proc/sys/devtmpfs/tmpfs on /proc /sys /dev /run, the host's / read-only at /host (the JVM
# runs from there), and the new root mounted at /newroot whose /sbin/init reports back.
# Output lines the test reads: "PRE pid=", the INIT's lines, "EXIT <code>" of the switch-root
# process, "PEEK <path>" for each file left in the old root afterwards, and "MOUNTED <path> <fs>"
# for each mount still at or below the old root's place ("" is the place itself).
set -euo pipefail
W=$1 OLDFS=$2 NEWFS=$3 JAVA=$4 CP=$5
shift 5
[ "$1" = "--" ] && shift

OLD=$W/oldroot
mkdir -p "$OLD" "$W/canary-src" "$W/peek" "$W/stage"

make_fs() {  # make_fs TYPE MOUNTPOINT [STAGING_DIR]
    if [ "$1" = tmpfs ]; then
        mount -t tmpfs -o size=64m,mode=0755 "liftoff-test-$(basename "$2")" "$2"
        [ -z "${3:-}" ] || cp -a "$3/." "$2/"
    else
        local img=$W/$(basename "$2").ext4
        mke2fs -q -t ext4 -F ${3:+-d "$3"} "$img" 64M
        mount -o loop "$img" "$2"
    fi
}

# ---- the new root: busybox and an init that reports what it sees
NEWSTAGE=$W/newstage
mkdir -p "$NEWSTAGE"/{bin,sbin,dev,proc,sys,run,etc,boot}
cp /bin/busybox "$NEWSTAGE/bin/busybox"
ln -s busybox "$NEWSTAGE/bin/sh"
cat > "$NEWSTAGE/sbin/real-init" <<'INIT'
#!/bin/busybox sh
echo "INIT pid=$$ argc=$# args=$*"
echo "INIT marker=${LIFTOFF_TMPFS_ROOT:-unset}"
/bin/busybox sed 's/^/MOUNTINFO /' /proc/self/mountinfo
echo "INIT rootfs=$(/bin/busybox stat -f -c %T /)"
echo "INIT run=$(/bin/busybox cat /run/state 2>/dev/null)"
if [ -n "${PIVOT_CHECK:-}" ]; then
    /bin/busybox mkdir -p /pivot-new
    /bin/busybox mount -t tmpfs pivot-new /pivot-new
    /bin/busybox mkdir -p /pivot-new/old
    if /bin/busybox pivot_root /pivot-new /pivot-new/old; then echo "INIT pivot_root=ok"; else echo "INIT pivot_root=failed"; fi
fi
INIT
chmod 755 "$NEWSTAGE/sbin/real-init"
ln -s ../sbin/real-init "$NEWSTAGE/etc/init-link"          # absolute-free, relative link
ln -s /sbin/real-init "$NEWSTAGE/sbin/init"                # absolute: must resolve inside NEWROOT
printf '#!/bin/busybox sh\necho never\n' > "$NEWSTAGE/sbin/not-executable"
chmod 644 "$NEWSTAGE/sbin/not-executable"
printf '#!/usr/bin/python3\nprint("never")\n' > "$NEWSTAGE/sbin/python-init"   # the host has it, NEWROOT not
chmod 755 "$NEWSTAGE/sbin/python-init"

# ---- the old root
OLDSTAGE=$W/oldstage
mkdir -p "$OLDSTAGE"/{host,proc,sys,dev,run,canary,newroot,bin,data/deep/deeper,empty}
echo one > "$OLDSTAGE/data/one"
echo two > "$OLDSTAGE/data/deep/deeper/two"
ln "$OLDSTAGE/data/one" "$OLDSTAGE/data/one-hardlink"
mkfifo "$OLDSTAGE/data/fifo"
printf x > "$OLDSTAGE/data/caf$(printf '\351')"               # latin-1 name: not UTF-8
ln -s /canary/keep.txt "$OLDSTAGE/link-into-canary"            # must be removed, not followed
ln -s /canary "$OLDSTAGE/data/dir-link-into-canary"
ln -s host/usr "$OLDSTAGE/usr"; ln -s host/usr/lib "$OLDSTAGE/lib"; ln -s host/usr/lib64 "$OLDSTAGE/lib64"
cp /bin/busybox "$OLDSTAGE/bin/busybox"
mknod -m 600 "$OLDSTAGE/dev/console" c 5 1                     # as in an initramfs, hidden by devtmpfs
cp -a "$NEWSTAGE/sbin/real-init" "$OLDSTAGE/bin/reexec-init"   # for --via-tmpfs: INIT lives in the moved tree
cp -a "$NEWSTAGE/bin/sh" "$OLDSTAGE/bin/sh"
echo keep > "$W/canary-src/keep.txt"
mkdir -p "$W/canary-src/sub" && echo keep > "$W/canary-src/sub/nested.txt"

make_fs "$OLDFS" "$OLD" "$OLDSTAGE"
mount --bind / "$OLD/host" && mount -o remount,bind,ro "$OLD/host"
mount --bind "$W/canary-src" "$OLD/canary"
if [ "${BOUND_FILE:-}" = 1 ]; then   # a file with another file bound onto it: a mount point too
    echo keep > "$W/canary-file"
    : > "$OLD/bound-file"
    mount --bind "$W/canary-file" "$OLD/bound-file"
fi
mount -t proc proc "$OLD/proc"
mount -t sysfs sysfs "$OLD/sys"
mount -t devtmpfs devtmpfs "$OLD/dev"
mount -t tmpfs -o mode=0755 run "$OLD/run"
echo run-state > "$OLD/run/state"
[ "${NO_NEWROOT_MOUNT:-}" = 1 ] || make_fs "$NEWFS" "$OLD/newroot" "$NEWSTAGE"
[ "${NO_NEWROOT_MOUNT:-}" = 1 ] && cp -a "$NEWSTAGE/." "$OLD/newroot/"
[ "${NEWROOT_RO:-}" = 1 ] && mount -o remount,ro "$OLD/newroot"
mount --bind "$OLD" "$W/peek"   # the old root's own files, seen from outside after the switch

# ---- the switch: java becomes the process that execs INIT, so PRE pid must equal INIT pid
set +e
( echo "PRE pid=$BASHPID"; exec chroot "$OLD" "/host$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
      -XX:TieredStopAtLevel=1 -cp "$CP" liftoff.cli.Main switch-root "$@" )
echo "EXIT $?"
set -e

cd "$W/peek"
find . -mindepth 1 | LC_ALL=C sort | sed 's/^\./PEEK /'
# What is still mounted at or below the old root's place, as the namespace sees it.
awk -v old="$OLD" '$5 == old || index($5, old "/") == 1 {
    for (i = 7; $i != "-"; i++) ;
    print "MOUNTED " substr($5, length(old) + 1) " " $(i + 1)
}' /proc/self/mountinfo
