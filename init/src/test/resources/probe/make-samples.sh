#!/usr/bin/env bash
# Regenerates the superblock samples the probe tests read: each is the head of an image made by
# the real tool (only the bytes the prober reads), gzip'd, and expected.txt holds what util-linux
# blkid printed for the whole image. Run from this directory; needs the tools in docs/probe.md.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here=$(pwd)
: >expected.txt

# sample NAME IMAGE BYTES: keep the first BYTES of IMAGE as NAME.gz and record blkid's line for it.
sample() {
    head -c "$3" "$2" | gzip -9n >"$here/$1.gz"
    echo "$1: $(blkid -c /dev/null -o full "$2" | sed 's/^[^:]*: //')" >>"$here/expected.txt"
}

cd "$work"
mkdir tree && echo hello >tree/file
mke2fs -q -t ext2 -L boot -U 3f1b6a2c-0d4e-4b7a-9c1d-2e3f4a5b6c7d ext2.img 4M
mke2fs -q -t ext3 -L 'my data' -U 5a0c1e2f-3b4d-4c6e-8f70-8192a3b4c5d6 ext3.img 8M
mke2fs -q -t ext4 -L root -U 0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e -b 4096 ext4.img 16M
truncate -s 300M xfs.img && mkfs.xfs -q -L xroot -m uuid=6e0f4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b xfs.img
truncate -s 120M btrfs.img && mkfs.btrfs -q -L broot -U 7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d btrfs.img
truncate -s 20M fat16.img && mkfs.vfat -F 16 -i 1234ABCD -n EFI fat16.img >/dev/null
truncate -s 40M fat32.img && mkfs.vfat -F 32 -i 0BADCAFE -n 'ESP 32' fat32.img >/dev/null
mksquashfs tree squashfs.img -quiet -noappend
mkfs.erofs --quiet -U 22222222-3333-4444-5555-666666666666 erofs.img tree
truncate -s 4M swap.img && mkswap -q -L swap0 -U 11111111-2222-3333-4444-555555555555 swap.img 2>/dev/null
# A big-endian machine's swap with 8 KiB pages: mkswap writes the header in the host's byte order, so
# version 1 and the last page (511) are rewritten big-endian, as mkswap --endianness=big (2.39+) writes them.
truncate -s 4M swap-be.img && mkswap -q -p 8192 -L swap-be -U 66666666-7777-4888-9999-aaaaaaaaaaaa swap-be.img 2>/dev/null
printf '\0\0\0\1\0\0\1\377' | dd of=swap-be.img bs=1 seek=1024 conv=notrunc status=none
printf pass >key
luks() {  # luks VERSION UUID [--label LABEL]
    truncate -s 20M "luks$1.img"
    cryptsetup luksFormat --type "luks$1" --batch-mode --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
        --key-file key --uuid "$2" "${@:3}" "luks$1.img"
}
luks 1 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b61
luks 2 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b62 --label cryptroot
truncate -s 4M gpt.img
sgdisk -U 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0 \
    -n 1:2048:+1M -t 1:ef00 -c 1:EFI -u 1:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d \
    -n 2:0:0 -c 2:'root ü' -u 2:2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e gpt.img >/dev/null
truncate -s 4M dos.img
printf 'label: dos\nlabel-id: 0x1234abcd\n,1M,83\n,,5\n,1M,82\n,,83\n' | sfdisk -q dos.img

sample ext2 ext2.img 2048
sample ext3 ext3.img 2048
sample ext4 ext4.img 2048
sample xfs xfs.img 512
sample btrfs btrfs.img $((64 * 1024 + 4096))
sample fat16 fat16.img 65536
sample fat32 fat32.img $((1024 * 1024))
sample squashfs squashfs.img 4096
sample erofs erofs.img 8192
sample swap swap.img 4096
sample swap-be swap-be.img 8192
sample luks1 luks1.img 4096
sample luks2 luks2.img 4096
sample gpt gpt.img $((34 * 512))
sample dos dos.img $((4 * 1024 * 1024))
