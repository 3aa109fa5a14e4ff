package liftoff.image.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The QEMU command line, without running QEMU. */
class QemuTest {
    private static final Path KERNEL = Path.of("/boot/vmlinuz-test");

    @Test
    void theDefaultsAreTcgAPcWithOneCpuAndTheSerialConsoleOnStdio() {
        List<String> argv = new Qemu(KERNEL).initrd(Path.of("initrd.img")).disk(Path.of("root.img")).commandLine();

        assertEquals(List.of("qemu-system-x86_64", "-accel", "tcg", "-machine", "pc", "-cpu", "max", "-m", "1024",
                "-smp", "1", "-nodefaults", "-display", "none", "-no-reboot", "-serial", "stdio",
                "-kernel", "/boot/vmlinuz-test", "-initrd", "initrd.img",
                "-append", "console=ttyS0 panic=-1 printk.time=1",
                "-drive", "file=root.img,format=raw,if=none,id=d0", "-device", "virtio-blk-pci,drive=d0"), argv);
    }

    @Test
    void icountAddsDeterministicTimeAndIdlePollAndTheUsersWordsComeLast() {
        Qemu qemu = new Qemu(KERNEL).icount(true).append(" root=/dev/vda init=/sbin/init -- a b ")
                .machine(Qemu.Machine.Q35).cpu("qemu64");
        List<String> argv = qemu.commandLine();

        assertEquals("console=ttyS0 panic=-1 printk.time=1 idle=poll root=/dev/vda init=/sbin/init -- a b",
                qemu.kernelCmdline());
        assertEquals(List.of("-icount", "shift=0,sleep=off"), after(argv, "-icount", 2));
        assertEquals(List.of("-machine", "q35", "-cpu", "qemu64"), after(argv, "-machine", 4));
    }

    @Test
    void uefiBootsTheFirmwareFromFlashOnQ35WithoutAKernel() {
        List<String> argv = Qemu.uefi(Ovmf.STANDARD, Path.of("/tmp/vars.fd")).disk(Path.of("esp.img")).commandLine();

        assertEquals(List.of("qemu-system-x86_64", "-accel", "tcg", "-machine", "q35", "-cpu", "max", "-m", "1024",
                "-smp", "1", "-nodefaults", "-display", "none", "-no-reboot", "-serial", "stdio",
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                "-drive", "if=pflash,format=raw,file=/tmp/vars.fd",
                "-drive", "file=esp.img,format=raw,if=none,id=d0", "-device", "virtio-blk-pci,drive=d0"), argv);
    }

    @Test
    void secureBootFirmwareGetsSmmAndSecureFlash() {
        List<String> argv = Qemu.uefi(Ovmf.SNAKEOIL, Path.of("/tmp/vars.fd")).commandLine();

        assertEquals(List.of("-machine", "q35,smm=on"), after(argv, "-machine", 2));
        assertEquals(List.of("-global", "driver=cfi.pflash01,property=secure,value=on",
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd",
                "-drive", "if=pflash,format=raw,file=/tmp/vars.fd"), after(argv, "-global", 6));
    }

    @Test
    void eachBusAttachesItsDisksAndAControllerOnlyOnce() {
        List<String> argv = new Qemu(KERNEL)
                .disk(Path.of("a.img"), DiskBus.VIRTIO_SCSI)
                .disk(Path.of("b.img"), DiskBus.VIRTIO_SCSI)
                .disk(Path.of("c.img"), DiskBus.NVME)
                .disk(Path.of("d.img"), DiskBus.IDE)
                .commandLine();

        assertEquals(1, Collections.frequency(argv, "virtio-scsi-pci,id=scsi"));
        List<String> devices = after(argv, "-drive", argv.size() - argv.indexOf("-drive"));
        assertEquals(List.of(
                "-drive", "file=a.img,format=raw,if=none,id=d0", "-device", "scsi-hd,bus=scsi.0,drive=d0",
                "-drive", "file=b.img,format=raw,if=none,id=d1", "-device", "scsi-hd,bus=scsi.0,drive=d1",
                "-drive", "file=c.img,format=raw,if=none,id=d2", "-device", "nvme,serial=liftoff0,drive=d2",
                "-drive", "file=d.img,format=raw,if=none,id=d3", "-device", "ide-hd,bus=ide.0,drive=d3"), devices);
    }

    @Test
    void aCommaInADiskFileNameIsEscapedForQemu() {
        List<String> argv = new Qemu(KERNEL).disk(Path.of("/tmp/a,b.img")).commandLine();

        assertEquals("file=/tmp/a,,b.img,format=raw,if=none,id=d0", argv.get(argv.indexOf("-drive") + 1));
    }

    @Test
    void busesHaveCliNamesAndGuestDeviceNames() {
        assertEquals(DiskBus.VIRTIO_SCSI, DiskBus.byCliName("virtio-scsi"));
        assertEquals("/dev/vdb", DiskBus.VIRTIO_BLK.guestDevice(1));
        assertEquals("/dev/sda", DiskBus.IDE.guestDevice(0));
        assertEquals("/dev/nvme0n1", DiskBus.NVME.guestDevice(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiskBus.byCliName("sata"));
        assertTrue(e.getMessage().contains("virtio-blk, virtio-scsi, nvme, ide"), e.getMessage());
    }

    @Test
    void startNamesTheMissingFileBeforeQemuRuns() {
        IOException e = assertThrows(IOException.class,
                () -> new Qemu(Path.of("/nonexistent/vmlinuz")).start());

        // Either QEMU itself is missing (then the package is named) or the kernel is.
        assertTrue(e.getMessage().equals("kernel /nonexistent/vmlinuz is missing or unreadable")
                || e.getMessage().endsWith("apt-get install qemu-system-x86"), e.getMessage());
    }

    private static List<String> after(List<String> argv, String first, int count) {
        int at = argv.indexOf(first);
        return argv.subList(at, at + count);
    }
}
