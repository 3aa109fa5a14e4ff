package liftoff.image;

import static liftoff.image.qemu.TestBoot.BOOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import liftoff.image.TestImages.Image;
import liftoff.image.qemu.BootMarker;
import liftoff.image.qemu.Console;
import liftoff.image.qemu.DemoRoot;
import liftoff.image.qemu.DiskBus;
import liftoff.image.qemu.QemuExit;
import liftoff.image.qemu.QemuProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java init as PID 1 for real: images from {@link ImageBuilder} booted in QEMU (TCG) with a
 * real kernel against real ext4 disks, for each way of naming the root and each way of failing.
 */
@Tag("qemu")
class InitBootTest {
    private static final UUID PARTITION_UUID = UUID.fromString("5eed0000-1111-4222-8333-444455556666");

    @TempDir
    static Path work;
    static Image withBusybox;
    static Image withoutBusybox;
    static Path bareDisk;
    static Path gptDisk;

    @BeforeAll
    static void buildImagesAndDisks() throws Exception {
        withBusybox = TestImages.build("RESCUE=busybox");
        assertTrue(withBusybox.aotCache(), "the AOT cache was trained");
        withoutBusybox = TestImages.build();
        bareDisk = DemoRoot.standard().writeTo(work.resolve("bare.img"));
        gptDisk = DemoRoot.standard().withGpt("liftoff-root").withPartitionUuid(PARTITION_UUID).writeTo(work.resolve("gpt.img"));
    }

    /** The real init ran as PID 1, the old root was emptied, and / is mounted as asked. */
    private static void assertBooted(QemuExit exit, String rootDevice, boolean readOnly) {
        RealRoot.assertReachedOn(exit, rootDevice);
        assertTrue(exit.console().contains("liftoff: old root emptied: ") && exit.console().contains(" 0 mount points kept, 0 failures"),
                "the initramfs was emptied\n" + exit.console());
        RealRoot.assertMounted(exit, readOnly);
    }

    @Test
    void bootsRootDevVdaReadOnly() throws Exception {
        QemuExit exit = withBusybox.qemu("root=/dev/vda").disk(bareDisk).icount(true).run();
        assertBooted(exit, "/dev/vda", true);
        assertEquals("/dev/vda on /newroot (ext4, ro)", exit.timeline().step(BootMarker.ROOT_MOUNTED).orElseThrow().detail());
        assertTrue(exit.timeline().step(BootMarker.INIT_STARTED).isPresent(), exit.console());
        assertTrue(exit.console().matches("(?s).*liftoff: memory: peak RSS \\d+ MiB, MemAvailable \\d+ MiB.*"), exit.console());
    }

    @Test
    void bootsRootByUuidReadWriteWithRootfstypeOnABaselineCpu() throws Exception {
        // qemu64 has no AVX: the AOT cache trained on this (AVX-512) host must still load or be refused cleanly.
        QemuExit exit = withBusybox.qemu("root=UUID=" + DemoRoot.standard().uuid() + " rootfstype=ext4 rw").disk(bareDisk)
                .cpu("qemu64").run();
        assertBooted(exit, "/dev/vda", false);
    }

    @Test
    void bootsRootByLabelAfterRootdelayWithAProbedType() throws Exception {
        QemuExit exit = withBusybox.qemu("root=LABEL=liftoff-root rootdelay=1").disk(bareDisk).run();
        assertBooted(exit, "/dev/vda", true);
        assertTrue(exit.console().contains("liftoff: rootdelay=1: waiting"), exit.console());
    }

    @Test
    void bootsAGptPartitionByPartuuidOnNvme() throws Exception {
        QemuExit exit = withBusybox.qemu("root=PARTUUID=" + PARTITION_UUID).disk(gptDisk, DiskBus.NVME).run();
        assertBooted(exit, "/dev/nvme0n1p1", true);
    }

    @Test
    void bootsAGptPartitionByPartlabelAndPassesInitArguments() throws Exception {
        QemuExit exit = withBusybox.qemu("root=PARTLABEL=liftoff-root init=/sbin/init -- a -b").disk(gptDisk).run();
        assertBooted(exit, "/dev/vda1", true);
        assertTrue(exit.console().contains("REAL-ROOT args=a -b\n"), exit.console());
    }

    @Test
    void aMissingRootDiskEndsInTheBuiltInConsoleWithTheReason() throws Exception {
        try (QemuProcess vm = withoutBusybox.qemu("root=/dev/vda liftoff.timeout=2").start()) {
            Console console = vm.console();
            console.await("liftoff: cannot boot: the root device /dev/vda did not appear within 2 s", BOOT);
            console.await("block devices: none", Duration.ofSeconds(30));
            console.await("(liftoff) # ", Duration.ofSeconds(30));
            console.type("ls /lib/modules\n");
            console.await(withoutBusybox.kernel().version(), Duration.ofSeconds(30));
            console.type("poweroff\n");
            QemuExit exit = vm.waitFor();
            assertFalse(exit.timedOut(), exit.console());
            assertFalse(exit.timeline().reachedRealInit());
        }
    }

    @Test
    void aWrongRootfstypeEndsInTheRescueShell() throws Exception {
        assertRescueShellAfter("root=/dev/vda rootfstype=xfs", "liftoff: cannot boot: cannot mount the root /dev/vda on /newroot:",
                "mount(\"/dev/vda\", \"/newroot\", \"xfs\", MS_RDONLY): ");
    }

    @Test
    void anInitMissingInTheRootEndsInTheRescueShell() throws Exception {
        assertRescueShellAfter("root=/dev/vda init=/sbin/nope", "liftoff: cannot boot: no init to start in the root:",
                "/sbin/nope does not exist in the new root /newroot");
    }

    /** The boot fails with {@code reason} and {@code detail} on the console, then the busybox shell answers. */
    private static void assertRescueShellAfter(String append, String reason, String detail) throws Exception {
        assertRescueShellAfter(bareDisk, append, reason, detail);
    }

    private static void assertRescueShellAfter(Path disk, String append, String reason, String detail) throws Exception {
        try (QemuProcess vm = withBusybox.qemu(append).disk(disk).start()) {
            Console console = vm.console();
            console.await(reason, BOOT);
            console.await(detail, Duration.ofSeconds(30));
            RescueShell.powerOff(vm);
        }
    }

    @Test
    void breakPremountGivesAShellAndLeavingItBootsOn() throws Exception {
        try (QemuProcess vm = withBusybox.qemu("root=/dev/vda liftoff.break=premount").disk(bareDisk).start()) {
            Console console = vm.console();
            console.await("(liftoff rescue) # ", BOOT);
            console.type("echo in-rescue-$((40 + 2))\n");
            console.await("in-rescue-42", Duration.ofSeconds(30));
            console.type("exit\n");
            QemuExit exit = vm.waitFor();
            assertBooted(exit, "/dev/vda", true);
        }
    }

    @Test
    void anInitScriptWhoseInterpreterIsMissingEndsInTheRescueShell() throws Exception {
        // An executable regular file, so it is chosen; but the kernel could not run it: found before the switch.
        Path disk = DemoRoot.standard().writeTo(work.resolve("python-init.img"));
        Path script = Files.writeString(work.resolve("python-init"), "#!/usr/bin/python3\nprint('up')\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        TestDisks.debugfs(disk, "write " + script + " /python-init");
        assertRescueShellAfter(disk, "root=/dev/vda init=/python-init",
                "liftoff: cannot boot: cannot start the interpreter /usr/bin/python3 of /python-init:", "it does not exist in the new root /newroot");
    }

    @Test
    void anInitThatCannotBeExecutedAfterTheSwitchLeavesPid1InAShellOfTheNewRoot() throws Exception {
        // The init passes every check, then execve fails after the switch, when there is no way back: a process
        // started in the preswitch shell holds /sbin/init open for writing (ETXTBSY). PID 1 must not exit.
        Path disk = DemoRoot.standard().writeTo(work.resolve("busy-init.img"));
        try (QemuProcess vm = withBusybox.qemu("root=/dev/vda rw liftoff.break=preswitch").disk(disk).start()) {
            Console console = vm.console();
            console.await("(liftoff rescue) # ", BOOT);
            console.type("busybox sleep 600 >> /newroot/sbin/init & echo held-$((1 + 1))\n");
            console.await("held-2", Duration.ofSeconds(60));
            console.type("exit\n");
            console.await("cannot start /sbin/init: execve(\"/sbin/init\"", BOOT);
            // The next line, "PID 1 must not exit: starting /bin/sh instead", goes to /dev/kmsg after its
            // rate limit is back (restored before the hand-over) and may be dropped; the shell is the proof.
            console.await("ETXTBSY (Text file busy)", Duration.ofSeconds(30));
            console.type("echo shell-pid-$$\n");
            console.await("shell-pid-1", Duration.ofSeconds(60));
            console.type("poweroff -f\n");
            assertFalse(vm.waitFor().timedOut());
        }
    }
}
