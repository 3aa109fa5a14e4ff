package liftoff.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

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

/**
 * The one place that links C library functions. Every syscall wrapper declares its downcall handle
 * in a holder class of its own, so a handle is built the first time its call is made and never
 * again (the JVM initialises a class once, thread-safely), and the init pays only for the calls it
 * uses. errno is captured by the linker right after the call, before the JVM can clobber it.
 */
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            MemoryLayout.PathElement.groupElement("errno"));

    private Libc() {}

    /** A handle whose first argument is the errno capture segment from {@link #errnoSlot}. */
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol(name), descriptor, options);
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

    static MemorySegment errnoSlot(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }

    /** A NUL-terminated copy of a string (UTF-8), or NULL for null. */
    static MemorySegment cString(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
    }

    /** A NUL-terminated copy of raw name bytes: file names need not be UTF-8. */
    static MemorySegment cString(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
        return s;
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
     * invokeExact declares Throwable; a downcall can only throw what the wrapper threw itself
     * or an Error, so anything else is a bug worth an Error.
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        throw new AssertionError("unexpected checked exception from a downcall", t);
    }
}
