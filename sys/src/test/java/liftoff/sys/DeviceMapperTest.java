package liftoff.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dm_ioctl encoding, byte by byte against linux/dm-ioctl.h. The host kernel has no
 * device-mapper: the real calls are proven by the QEMU boots (VerityBootTest).
 */
class DeviceMapperTest {

    @Test
    void requestNumbersAreIowrOnTheDmIoctlStruct() {
        // As strace prints them: DM_TABLE_LOAD is 0xc138fd09 (312 = 0x138 bytes, type 0xfd).
        assertEquals(0xc138fd00L, DeviceMapper.Command.DM_VERSION.request);
        assertEquals(0xc138fd03L, DeviceMapper.Command.DM_DEV_CREATE.request);
        assertEquals(0xc138fd04L, DeviceMapper.Command.DM_DEV_REMOVE.request);
        assertEquals(0xc138fd06L, DeviceMapper.Command.DM_DEV_SUSPEND.request);
        assertEquals(0xc138fd09L, DeviceMapper.Command.DM_TABLE_LOAD.request);
        assertEquals(0xc138fd0cL, DeviceMapper.Command.DM_TABLE_STATUS.request);
    }

    @Test
    void headerCarriesVersionSizesNameAndUuid() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = DeviceMapper.header(arena, 1024, "root", "VERITY-abc", 0);
            assertEquals(1024, h.byteSize());
            assertEquals(4, h.get(JAVA_INT, 0));
            assertEquals(0, h.get(JAVA_INT, 4));
            assertEquals(1024, h.get(JAVA_INT, 12));
            assertEquals(312, h.get(JAVA_INT, 16));
            assertEquals("root", h.getString(48));
            assertEquals("VERITY-abc", h.getString(176));
            assertEquals(0, h.get(JAVA_BYTE, 48 + 4));
        }
    }

    @Test
    void tableLoadLaysOutSpecsWithRelativeNextAndAlignedParams() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = DeviceMapper.tableLoad(arena, "root", true, List.of(
                    new DeviceMapper.Target(0, 2048, "linear", "/dev/vda 0"),
                    new DeviceMapper.Target(2048, 100, "zero", "")));
            // header 312, spec 40 + "/dev/vda 0\0" (11) -> 56, spec 40 + "\0" -> 48
            assertEquals(312 + 56 + 48, s.byteSize());
            assertEquals(312 + 56 + 48, s.get(JAVA_INT, 12));
            assertEquals(2, s.get(JAVA_INT, 20));
            assertEquals(DeviceMapper.READONLY_FLAG | DeviceMapper.SECURE_DATA_FLAG, s.get(JAVA_INT, 28));
            assertEquals(0L, s.get(JAVA_LONG, 312));
            assertEquals(2048L, s.get(JAVA_LONG, 312 + 8));
            assertEquals(56, s.get(JAVA_INT, 312 + 20));
            assertEquals("linear", s.getString(312 + 24));
            assertEquals("/dev/vda 0", s.getString(312 + 40));
            assertEquals(2048L, s.get(JAVA_LONG, 368));
            assertEquals(100L, s.get(JAVA_LONG, 368 + 8));
            assertEquals(48, s.get(JAVA_INT, 368 + 20));
            assertEquals("zero", s.getString(368 + 24));
            assertEquals("", s.getString(368 + 40));
        }
    }

    @Test
    void readWriteTableHasNoReadOnlyFlag() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = DeviceMapper.tableLoad(arena, "r", false, List.of(new DeviceMapper.Target(0, 8, "zero", "")));
            assertEquals(DeviceMapper.SECURE_DATA_FLAG, s.get(JAVA_INT, 28));
        }
    }

    @Test
    void statusAnswerIsDecodedWithNextCountedFromTheFirstSpec() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = DeviceMapper.header(arena, 1024, "root", null, 0);
            a.set(JAVA_INT, 20, 2);
            a.set(JAVA_LONG, 312, 0);
            a.set(JAVA_LONG, 312 + 8, 65536);
            a.set(JAVA_INT, 312 + 20, 48);   // absolute from the first spec, as the kernel answers
            a.setString(312 + 24, "verity");
            a.setString(312 + 40, "V");
            a.set(JAVA_LONG, 360, 65536);
            a.set(JAVA_LONG, 360 + 8, 8);
            a.setString(360 + 24, "error");
            a.setString(360 + 40, "");
            assertEquals(List.of(new DeviceMapper.Target(0, 65536, "verity", "V"), new DeviceMapper.Target(65536, 8, "error", "")),
                    DeviceMapper.targets(a));
        }
    }

    @Test
    void statusAnswerPointingOutsideItsBufferIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = DeviceMapper.header(arena, 400, "root", null, 0);
            a.set(JAVA_INT, 20, 2);
            a.set(JAVA_LONG, 312 + 8, 8);
            a.set(JAVA_INT, 312 + 20, 4000);
            a.setString(312 + 24, "zero");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeviceMapper.targets(a));
            assertTrue(e.getMessage().contains("target 1 at offset 4312"), e.getMessage());
        }
    }

    @Test
    void devIsDecodedLikeTheKernelsHugeEncodeDev() {
        assertEquals(253, Stat.major(0xfd00));
        assertEquals(0, Stat.minor(0xfd00));
        // 253:300: minor's low byte, major << 8, minor's high bits << 12
        long dev = (300 & 0xff) | (253 << 8) | ((300L & ~0xff) << 12);
        assertEquals(253, Stat.major(dev));
        assertEquals(300, Stat.minor(dev));
    }

    @Test
    void badNamesAndTargetsAreRefusedBeforeAnyIoctl() {
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> DeviceMapper.header(arena, 312, "a/b", null, 0));
            assertThrows(IllegalArgumentException.class, () -> DeviceMapper.header(arena, 312, "x".repeat(128), null, 0));
            assertThrows(IllegalArgumentException.class, () -> DeviceMapper.header(arena, 312, "", null, 0));
            assertThrows(IllegalArgumentException.class, () -> DeviceMapper.header(arena, 312, "ok", "u".repeat(129), 0));
        }
        assertThrows(IllegalArgumentException.class, () -> new DeviceMapper.Target(0, 8, "a-very-long-type", ""));
        assertThrows(IllegalArgumentException.class, () -> new DeviceMapper.Target(0, 0, "zero", ""));
        assertThrows(IllegalArgumentException.class, () -> new DeviceMapper.Target(0, 8, "zero", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> DeviceMapper.create("root", null, true, List.of()));
    }

    @Test
    void aFailedIoctlNamesTheRequestAndTheDevice() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = DeviceMapper.header(arena, 312, "root", null, 0);
            SyscallException e = assertThrows(SyscallException.class,
                    () -> Ioctl.ioctl(-1, DeviceMapper.Command.DM_DEV_CREATE.request, "DM_DEV_CREATE", h, "{name=" + Call.quoted("root") + "}"));
            assertEquals("ioctl(-1, DM_DEV_CREATE, {name=\"root\"}): EBADF (Bad file descriptor)", e.getMessage());
        }
    }

    @Test
    void paramsAreUtf8() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = DeviceMapper.tableLoad(arena, "r", true, List.of(new DeviceMapper.Target(0, 8, "linear", "/dev/é 0")));
            byte[] want = "/dev/é 0".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], s.get(JAVA_BYTE, 312 + 40 + i));
        }
    }
}
