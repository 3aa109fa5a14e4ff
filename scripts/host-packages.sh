#!/usr/bin/env bash
# Installs the Debian packages liftoff needs for a purpose ("test" or "demo") when they are missing.
# As root on Debian it runs apt-get itself; otherwise it prints the exact command and exits 2.
set -euo pipefail

purpose=${1:-test}
# command -> package that provides it
declare -A PROVIDES=(
    [mvn]=maven
    [unshare]=util-linux
    [mke2fs]=e2fsprogs
    [busybox]=busybox-static
    [cpio]=cpio
    [bsdcpio]=libarchive-tools
    [sgdisk]=gdisk
    [qemu-system-x86_64]=qemu-system-x86
    [zstd]=zstd
    [lz4]=lz4
    [xz]=xz-utils
    # The probe tests compare liftoff blkid with util-linux blkid on images these tools make.
    [blkid]=util-linux
    [mkswap]=util-linux
    [sfdisk]=fdisk
    [mkfs.xfs]=xfsprogs
    [mkfs.btrfs]=btrfs-progs
    [mkfs.vfat]=dosfstools
    [mcopy]=mtools
    [mksquashfs]=squashfs-tools
    [mkfs.erofs]=erofs-utils
    [cryptsetup]=cryptsetup-bin
    [losetup]=mount
    # The cpio tests read lzo and bzip2 segments made by the reference tools.
    [lzop]=lzop
    [bzip2]=bzip2
    # The UKI tests check layouts with objdump and signatures with sbverify/sbsign, make keys with openssl.
    [objdump]=binutils
    [sbverify]=sbsigntool
    [openssl]=openssl
    # The boot-modes test makes s6-svscan the real init.
    [s6-svscan]=s6
)
need_commands=(mvn unshare mke2fs busybox cpio bsdcpio sgdisk qemu-system-x86_64 zstd lz4 xz
               blkid mkswap sfdisk mkfs.xfs mkfs.btrfs mkfs.vfat mcopy mksquashfs mkfs.erofs cryptsetup losetup lzop bzip2
               objdump sbverify openssl s6-svscan)
[ "$purpose" = demo ] && need_commands=(mvn mke2fs busybox qemu-system-x86_64)

missing=()
for c in "${need_commands[@]}"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("${PROVIDES[$c]}")
done
# A guest kernel with its modules: the cloud flavour boots fastest under QEMU; the tests of AHCI
# (q35's SATA controller) need the generic flavour, whose drivers the cloud one lacks.
if ! ls /boot/vmlinuz-*-cloud-amd64 >/dev/null 2>&1 || ! ls -d /lib/modules/*-cloud-amd64/kernel >/dev/null 2>&1; then
    missing+=(linux-image-cloud-amd64)
fi
if [ "$purpose" = test ] && { ! ls /boot/vmlinuz-*[0-9]-amd64 >/dev/null 2>&1 || ! ls -d /lib/modules/*[0-9]-amd64/kernel >/dev/null 2>&1; }; then
    missing+=(linux-image-amd64)
fi
# UKIs: systemd-stub to build them on; OVMF (with its snakeoil Secure Boot variant and key) to boot them.
if [ "$purpose" = test ]; then
    [ -f /usr/lib/systemd/boot/efi/linuxx64.efi.stub ] || missing+=(systemd-boot-efi)
    [ -f /usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd ] || missing+=(ovmf)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "liftoff: installing host packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    # shellcheck disable=SC2086
    $cmd -q >/dev/null
else
    echo "liftoff: missing host packages; as root run: apt-get update && $cmd" >&2
    exit 2
fi
