package liftoff.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The per-thread call memory: frames nest, memory comes back zeroed, big requests still work. */
class ScratchTest {
    @Test
    void aFrameReusesWhatTheFrameBeforeItFreedAndZeroesIt() {
        long first;
        try (Scratch frame = Scratch.frame()) {
            MemorySegment s = frame.allocate(64, 8);
            s.fill((byte) 0x5a);
            first = s.address();
        }
        try (Scratch frame = Scratch.frame()) {
            MemorySegment s = frame.allocate(64, 8);
            assertEquals(first, s.address());
            for (long i = 0; i < 64; i++) assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i));
        }
    }

    @Test
    void nestedFramesDoNotOverlapTheirOuterFrame() {
        try (Scratch outer = Scratch.frame()) {
            MemorySegment a = outer.allocate(100, 8);
            a.fill((byte) 1);
            try (Scratch inner = Scratch.frame()) {
                MemorySegment b = inner.allocate(100, 16);
                b.fill((byte) 2);
                assertEquals(0, b.address() % 16);
                assertEquals(true, b.address() >= a.address() + 100);
            }
            for (long i = 0; i < 100; i++) assertEquals(1, a.get(ValueLayout.JAVA_BYTE, i));
        }
    }

    @Test
    void aRequestLargerThanTheBlockGetsMemoryOfItsOwnUntilTheFrameCloses() {
        MemorySegment big;
        try (Scratch frame = Scratch.frame()) {
            big = frame.allocate(1 << 20, 8);
            big.set(ValueLayout.JAVA_LONG, (1 << 20) - 8, 42L);
            assertEquals(42L, big.get(ValueLayout.JAVA_LONG, (1 << 20) - 8));
        }
        assertThrows(IllegalStateException.class, () -> big.get(ValueLayout.JAVA_LONG, 0));
    }
}
