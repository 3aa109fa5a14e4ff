package liftoff.init.probe;

/**
 * One entry of a partition table. {@code number} is the kernel's partition number (the N in
 * sdaN); {@code start} and {@code size} are in bytes. {@code uuid} is blkid's PARTUUID, {@code
 * label} its PARTLABEL (GPT only, else null), {@code type} the GPT type GUID or the MBR type byte
 * as two hex digits.
 */
public record Partition(int number, long start, long size, String uuid, String label, String type) {
}
