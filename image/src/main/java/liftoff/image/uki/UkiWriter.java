package liftoff.image.uki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a unified kernel image as systemd's ukify does: the stub's sections kept at their
 * addresses, then {@code .osrel}, {@code .cmdline}, {@code .dtb}, {@code .uname}, {@code .splash},
 * {@code .initrd}, {@code .linux} (last of the payloads, so that nothing lies behind the kernel in
 * memory where it may decompress) and {@code .sbat}, each at the next section-aligned address
 * ({@link SectionLayout}). The stub's own {@code .sbat} is merged into that last one and leaves its
 * place: systemd 252's stub has its {@code .sdmagic} 256 bytes after {@code .sbat}, too close for the
 * merged lines, which ukify would write over the same addresses. The result is unsigned, checksummed.
 */
public final class UkiWriter {
    /** The sections a UKI adds; a stub that already has one of them is already a UKI or an add-on. */
    private static final List<String> PAYLOAD = List.of(".osrel", ".cmdline", ".dtb", ".uname", ".splash", ".initrd", ".linux");
    private static final String SBAT = ".sbat";
    private static final int DATA = PeSection.CNT_INITIALIZED_DATA | PeSection.MEM_READ;
    /** As ukify marks it: code, for stubs that jump into the kernel where it lies (the EFI handover protocol). */
    private static final int KERNEL = PeSection.CNT_CODE | PeSection.MEM_READ;

    private UkiWriter() {}

    public static void write(UkiParts parts, Path output) throws IOException {
        try (PeFile stub = PeFile.open(parts.stub())) {
            PeHeaders headers = stub.headers();
            if (headers.subsystem() != PeHeaders.SUBSYSTEM_EFI_APPLICATION) {
                throw new PeFormatException(parts.stub() + ": not a UEFI application (subsystem " + headers.subsystem() + ")");
            }
            if (headers.certificateTable().isPresent()) {
                throw new PeFormatException(parts.stub() + ": the stub is signed; the UKI is signed as a whole, give the unsigned stub");
            }
            for (String name : PAYLOAD) {
                if (headers.section(name).isPresent()) throw new PeFormatException(parts.stub() + ": the stub already has a " + name + " section");
            }
            List<String> sbat = new ArrayList<>();
            stub.text(SBAT).ifPresent(sbat::add);
            long kernelImageSize = 0;
            if (PeFile.isPe(parts.kernel())) {   // an x86 bzImage is a PE with an EFI stub of its own
                try (PeFile kernel = PeFile.open(parts.kernel())) {
                    kernelImageSize = kernel.headers().sizeOfImage();
                    kernel.text(SBAT).ifPresent(sbat::add);
                }
            }

            List<SectionLayout.Placed> kept = new ArrayList<>();
            for (PeSection section : headers.sections()) {
                if (section.name().equals(SBAT)) continue;
                kept.add(new SectionLayout.Placed(section,
                        new SectionContent.FileRange(parts.stub(), section.pointerToRawData(), section.sizeOfRawData())));
            }
            List<SectionLayout.Added> added = new ArrayList<>();
            added.add(data(".osrel", parts.osRelease()));
            if (!parts.cmdline().isBlank()) added.add(data(".cmdline", parts.cmdline().strip().getBytes(StandardCharsets.UTF_8)));
            file(".dtb", parts.devicetree()).ifPresent(added::add);
            added.add(data(".uname", parts.uname().getBytes(StandardCharsets.UTF_8)));
            file(".splash", parts.splash()).ifPresent(added::add);
            added.add(file(".initrd", Optional.of(parts.initrd())).orElseThrow());
            // In memory the kernel gets its whole SizeOfImage (ukify does the same), room it may use in place.
            added.add(new SectionLayout.Added(".linux", SectionContent.FileRange.whole(parts.kernel()), kernelImageSize, KERNEL));
            added.add(data(SBAT, Sbat.merge(sbat, parts.sbatLine()).getBytes(StandardCharsets.UTF_8)));

            PeWriter.write(stub, SectionLayout.plan(headers, kept, added), output);
        }
    }

    private static SectionLayout.Added data(String name, byte[] bytes) {
        return new SectionLayout.Added(name, new SectionContent.Bytes(bytes), 0, DATA);
    }

    private static Optional<SectionLayout.Added> file(String name, Optional<Path> file) throws IOException {
        if (file.isEmpty()) return Optional.empty();
        if (Files.size(file.get()) == 0) throw new IOException(file.get() + ": empty, nothing to put into " + name);
        return Optional.of(new SectionLayout.Added(name, SectionContent.FileRange.whole(file.get()), 0, DATA));
    }
}
