package liftoff.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one place that links C library functions. Every system call goes through one downcall
 * handle, to glibc's syscall(2) with six long arguments: building a downcall handle costs tens of
 * milliseconds per distinct signature under the interpreter the init runs in (one shape for all
 * calls made the boot measurably faster than one handle per function), and pointers travel as
 * their addresses. The handle is built on the first call (a holder class: once, thread-safely).
 * errno is captured by the linker right after the call, before the JVM can clobber it.
 */
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            MemoryLayout.PathElement.groupElement("errno"));

    private Libc() {}

    /**
     * syscall(2): returns the kernel's result, or -1 with the errno in {@code errnoSlot}. Missing
     * arguments are 0; strings and buffers are passed as {@link MemorySegment#address()}.
     */
    static long syscall(MemorySegment errnoSlot, Arch.Nr nr, long... args) {
        long[] a = new long[6];
        System.arraycopy(args, 0, a, 0, args.length);
        try {
            return (long) Syscall.H.invokeExact(errnoSlot, nr.number, a[0], a[1], a[2], a[3], a[4], a[5]);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Builds the syscall handle now (the AOT training run and the root switch want it early). */
    static void link() {
        MethodHandle unused = Syscall.H;
    }

    /** A handle for a function that does not report through errno. */
    static MethodHandle plainDowncall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    /** The address of a C library symbol (a function or a variable such as environ). */
    static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("the C library has no symbol " + name));
    }

    /** Where the linker writes errno after each call: not zeroed first, nothing reads it before a call. */
    static MemorySegment errnoSlot(Arena arena) {
        return unzeroed(arena, CAPTURE_LAYOUT.byteSize(), CAPTURE_LAYOUT.byteAlignment());
    }

    static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }

    /** A NUL-terminated copy of a string (UTF-8), or NULL for null. */
    static MemorySegment cString(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : cString(arena, s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A NUL-terminated copy of raw name bytes: file names need not be UTF-8. One copy of the bytes
     * with their NUL into memory that is not zeroed first: interpreted, zeroing and a second copy
     * cost more than the system call the string is for.
     */
    static MemorySegment cString(Arena arena, byte[] bytes) {
        MemorySegment s = unzeroed(arena, bytes.length + 1L, 1);
        MemorySegment.copy(Arrays.copyOf(bytes, bytes.length + 1), 0, s, JAVA_BYTE, 0, bytes.length + 1);
        return s;
    }

    /**
     * The first {@code length} bytes of {@code segment} as an array: a plain copy, a third of what
     * asSlice(0, length).toArray(JAVA_BYTE) costs interpreted.
     */
    static byte[] bytes(MemorySegment segment, long length) {
        byte[] bytes = new byte[Math.toIntExact(length)];
        MemorySegment.copy(segment, JAVA_BYTE, 0, bytes, 0, bytes.length);
        return bytes;
    }

    /** Memory the caller fills completely: a syscall frame's block skips the zeroing any Arena must do. */
    private static MemorySegment unzeroed(Arena arena, long byteSize, long byteAlignment) {
        return arena instanceof Scratch frame ? frame.buffer(byteSize, byteAlignment) : arena.allocate(byteSize, byteAlignment);
    }

    /** Reads a C string that the C library returned (static storage: no length known). */
    static String string(MemorySegment pointer) {
        return pointer.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
    }

    /** The exception for a failed call, its arguments rendered as C would show them. */
    static SyscallException failure(MemorySegment errnoSlot, String function, Object... args) {
        return new SyscallException(errno(errnoSlot), Call.render(function, args));
    }

    /**
     * invokeExact declares Throwable; a downcall can only throw an Error, so anything else is a
     * bug worth an Error.
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        throw new AssertionError("unexpected checked exception from a downcall", t);
    }

    /**
     * syscall(2) is declared variadic, but the handle is linked as a plain seven-long function:
     * Linker.Option.firstVariadicArg made the first call 30% dearer (11 of 37 ms on the host,
     * interpreted with the AOT cache), and for integer arguments the calling conventions of all
     * three architectures (Arch) pass variadic arguments exactly as named ones. x86_64's one
     * difference, %al counting the vector registers used, is read only by callees that spill them
     * in va_start; glibc's syscall is assembly that moves six registers and traps.
     */
    private static final class Syscall {
        static final MethodHandle H = LINKER.downcallHandle(symbol("syscall"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                CAPTURE_ERRNO);
    }
}
