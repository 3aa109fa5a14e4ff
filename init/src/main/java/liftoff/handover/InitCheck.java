package liftoff.handover;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import liftoff.sys.Fs;

/**
 * Whether the kernel will be able to execve an init once the root has changed, found out while the
 * initramfs, and with it the rescue shell, is still there: afterwards a failed exec leaves PID 1
 * with nothing to run. The checks are the kernel's own (fs/binfmt_elf.c, fs/binfmt_script.c), made
 * on the files inside the new root (paths resolved as they will resolve after the switch):
 * <ul>
 *   <li>an ELF executable or shared object built for this machine: the class, byte order and
 *       e_machine of the running JVM's own executable, or i386 on an x86-64 kernel with 32-bit
 *       support; its program interpreter (the dynamic loader) likewise, present and executable;</li>
 *   <li>or a {@code #!} script whose interpreter passes the same checks, at most
 *       {@value #MAX_INTERPRETERS} deep, as the kernel allows;</li>
 *   <li>every byte of each file read: a dm-verity block that fails its hash or a bad sector
 *       anywhere in it surfaces now as an I/O error, not as the exec's EIO.</li>
 * </ul>
 */
final class InitCheck {
    /** The kernel gives up after this many interpreters in a chain (exec_binprm: ELOOP). */
    static final int MAX_INTERPRETERS = 5;
    /** binfmt_script reads the #! line from the first BINPRM_BUF_SIZE bytes. */
    private static final int BINPRM_BUF_SIZE = 256;
    private static final int CHUNK = 64 * 1024;
    private static final int ET_EXEC = 2, ET_DYN = 3, PT_INTERP = 3, EM_386 = 3, EM_X86_64 = 62;
    private static final Map<Integer, String> MACHINES = Map.of(EM_386, "i386", 8, "MIPS", 20, "PowerPC", 21, "PowerPC64",
            22, "s390", 40, "ARM", EM_X86_64, "x86-64", 183, "AArch64", 243, "RISC-V", 258, "LoongArch");

    /** An ELF's identity: what decides whether this kernel can run it. */
    record Machine(boolean is64, boolean littleEndian, int machine) {
        @Override
        public String toString() {
            return MACHINES.getOrDefault(machine, "e_machine " + machine) + " (" + (is64 ? "64" : "32") + "-bit, "
                    + (littleEndian ? "little" : "big") + "-endian)";
        }
    }

    private InitCheck() {}

    /** Throws, naming what is wrong, unless {@code init} inside {@code root} can be executed here. */
    static void verify(Path root, String init) throws HandoverException {
        verify(root, init, runningMachine(), Files.exists(Path.of("/proc/sys/abi/vsyscall32")));
    }

    /**
     * @param here       the machine the init must be built for; null when it cannot be told (no /proc): not compared
     * @param runs32Bit  whether an x86-64 kernel also runs i386 programs (IA32 emulation)
     */
    static void verify(Path root, String init, Machine here, boolean runs32Bit) throws HandoverException {
        String program = init;
        for (int depth = 0; ; depth++) {
            String what = depth == 0 ? init : "the interpreter " + program + " of " + init;
            Path file = executable(root, program, what);
            ByteBuffer head = readAll(file, what);
            if (isElf(head)) {
                Machine machine = elfHeader(head, what, here, runs32Bit);
                String interpreter = interpreter(file, head, machine, what);
                if (interpreter != null) checkLoader(root, interpreter, machine, what);
                return;
            }
            program = scriptInterpreter(head, what);
            if (depth + 1 > MAX_INTERPRETERS) {
                throw new HandoverException("cannot start " + init + ": more than " + MAX_INTERPRETERS
                        + " #! interpreters in a chain (the kernel refuses with ELOOP)");
            }
        }
    }

    /** The file {@code program} names inside the new root, if it is a regular file with an execute bit. */
    private static Path executable(Path root, String program, String what) throws HandoverException {
        String path = program.startsWith("/") ? program : "/" + program;   // after the switch the cwd is /
        Path file = RootedPath.resolve(root, path);
        String where = file.equals(root.resolve(path.substring(1))) ? "" : " (resolved to " + file + ")";
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new HandoverException("cannot start " + what + ": it does not exist in the new root " + root + where);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new HandoverException("cannot start " + what + ": it is not a regular file" + where);
        }
        if ((Fs.lstat(file.toString()).mode() & 0111) == 0) {
            throw new HandoverException("cannot start " + what + ": it is not executable" + where);
        }
        return file;
    }

    /**
     * Reads {@code file} to its end, so that an I/O error anywhere in it shows now; returns its first
     * bytes (at most {@value #CHUNK}), which hold every header the checks read in any real executable.
     */
    private static ByteBuffer readAll(Path file, String what) throws HandoverException {
        ByteBuffer head = ByteBuffer.allocate(CHUNK);
        long offset = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (head.hasRemaining()) {
                int n = channel.read(head);
                if (n < 0) return head.flip();
                offset += n;
            }
            ByteBuffer rest = ByteBuffer.allocate(CHUNK);
            for (int n; (n = channel.read(rest.clear())) >= 0; ) offset += n;
        } catch (IOException e) {
            throw new HandoverException("cannot start " + what + ": reading " + file + " failed after " + offset + " bytes: "
                    + e.getMessage() + " (the exec would fail the same way)");
        }
        return head.flip();
    }

    private static boolean isElf(ByteBuffer head) {
        return head.limit() >= 4 && head.get(0) == 0x7f && head.get(1) == 'E' && head.get(2) == 'L' && head.get(3) == 'F';
    }

    /** The ELF header's checks (load_elf_binary); returns the file's machine. */
    private static Machine elfHeader(ByteBuffer head, String what, Machine here, boolean runs32Bit) throws HandoverException {
        Machine machine = machine(head, what);
        int type = head.getShort(16) & 0xffff;
        if (type != ET_EXEC && type != ET_DYN) {
            throw new HandoverException("cannot start " + what + ": it is an ELF of type " + type + ", not an executable");
        }
        boolean compat = runs32Bit && here != null && here.machine() == EM_X86_64 && here.is64()
                && machine.equals(new Machine(false, true, EM_386));
        if (here != null && !machine.equals(here) && !compat) {
            throw new HandoverException("cannot start " + what + ": it is built for " + machine + ", and this machine is " + here);
        }
        return machine;
    }

    /** The identification and e_machine; the byte order of {@code head} is set from the file's. */
    private static Machine machine(ByteBuffer head, String what) throws HandoverException {
        int elfClass = head.limit() > 4 ? head.get(4) : 0;
        int encoding = head.limit() > 5 ? head.get(5) : 0;
        if ((elfClass != 1 && elfClass != 2) || (encoding != 1 && encoding != 2)) {
            throw new HandoverException("cannot start " + what + ": a damaged ELF identification (class " + elfClass
                    + ", data encoding " + encoding + ")");
        }
        if (head.limit() < (elfClass == 2 ? 64 : 52)) {
            throw new HandoverException("cannot start " + what + ": truncated, " + head.limit() + " bytes are not an ELF header");
        }
        head.order(encoding == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        return new Machine(elfClass == 2, encoding == 1, head.getShort(18) & 0xffff);
    }

    /** PT_INTERP's path, or null for a static executable; the program headers must lie in the file. */
    private static String interpreter(Path file, ByteBuffer head, Machine machine, String what) throws HandoverException {
        boolean is64 = machine.is64();
        long phoff = is64 ? head.getLong(32) : head.getInt(28) & 0xffffffffL;
        int phentsize = head.getShort(is64 ? 54 : 42) & 0xffff;
        int phnum = head.getShort(is64 ? 56 : 44) & 0xffff;
        if (phentsize != (is64 ? 56 : 32) || phnum == 0 || phoff < 0 || phoff + (long) phnum * phentsize > head.limit()) {
            throw new HandoverException("cannot start " + what + ": its program headers (" + phnum + " at byte " + phoff
                    + ") are damaged or past the end of " + file);
        }
        for (int i = 0; i < phnum; i++) {
            int ph = (int) phoff + i * phentsize;
            if (head.getInt(ph) != PT_INTERP) continue;
            long offset = is64 ? head.getLong(ph + 8) : head.getInt(ph + 4) & 0xffffffffL;
            long size = is64 ? head.getLong(ph + 32) : head.getInt(ph + 16) & 0xffffffffL;
            if (size < 2 || size > 4096 || offset < 0 || offset + size > head.limit() || head.get((int) (offset + size - 1)) != 0) {
                throw new HandoverException("cannot start " + what + ": its program interpreter entry is damaged");
            }
            byte[] path = new byte[(int) size - 1];
            head.get((int) offset, path);
            return new String(path, StandardCharsets.UTF_8);
        }
        return null;
    }

    /** The dynamic loader the kernel maps beside the program (load_elf_interp): the same machine, and whole. */
    private static void checkLoader(Path root, String loader, Machine machine, String what) throws HandoverException {
        String loaderWhat = "the program interpreter " + loader + " of " + what;
        Path file = executable(root, loader, loaderWhat);
        ByteBuffer head = readAll(file, loaderWhat);
        if (!isElf(head)) throw new HandoverException("cannot start " + loaderWhat + ": it is not an ELF file");
        elfHeader(head, loaderWhat, machine, false);
    }

    /** The interpreter a {@code #!} line names (binfmt_script's parse); anything else is no executable. */
    private static String scriptInterpreter(ByteBuffer head, String what) throws HandoverException {
        if (head.limit() < 2 || head.get(0) != '#' || head.get(1) != '!') {
            throw new HandoverException("cannot start " + what + ": it is neither an ELF executable nor a #! script"
                    + (head.limit() == 0 ? " (it is empty)" : ""));
        }
        int end = Math.min(head.limit(), BINPRM_BUF_SIZE);
        int i = 2;
        while (i < end && (head.get(i) == ' ' || head.get(i) == '\t')) i++;
        int start = i;
        while (i < end && head.get(i) != ' ' && head.get(i) != '\t' && head.get(i) != '\n' && head.get(i) != 0) i++;
        if (i == start) throw new HandoverException("cannot start " + what + ": its #! line names no interpreter");
        if (i == end && end == BINPRM_BUF_SIZE) {
            throw new HandoverException("cannot start " + what + ": its #! interpreter's name is longer than the kernel reads");
        }
        byte[] name = new byte[i - start];
        head.get(start, name);
        return new String(name, StandardCharsets.UTF_8);
    }

    /** The class, byte order and machine of this process's own executable (the JVM's launcher); null without /proc. */
    static Machine runningMachine() {
        try (FileChannel channel = FileChannel.open(Path.of("/proc/self/exe"), StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(64);
            while (head.hasRemaining() && channel.read(head) > 0) { }
            head.flip();
            return isElf(head) ? machine(head, "/proc/self/exe") : null;
        } catch (IOException | HandoverException e) {
            return null;
        }
    }
}
