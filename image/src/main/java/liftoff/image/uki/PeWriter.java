package liftoff.image.uki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes an image from a stub's headers and a {@link SectionLayout.Plan}: the stub's header bytes up to
 * its section table (MS-DOS stub, COFF and optional headers) with the counts and sizes the plan
 * changes, the new section table, then each section's raw data, and the checksum last.
 */
final class PeWriter {
    private PeWriter() {}

    static void write(PeFile stub, SectionLayout.Plan plan, Path output) throws IOException {
        PeHeaders headers = stub.headers();
        ByteBuffer head = Regions.read(stub.channel(), 0, headers.sectionTableOffset(), "the stub's headers");
        ByteBuffer out = ByteBuffer.allocate((int) plan.sizeOfHeaders()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(head);
        long addedCode = 0;
        long addedData = 0;
        for (SectionLayout.Placed placed : plan.sections()) {
            out.put(placed.header().encode());
        }
        for (SectionLayout.Placed placed : plan.added()) {
            if ((placed.header().characteristics() & PeSection.CNT_CODE) != 0) addedCode += placed.header().sizeOfRawData();
            else addedData += placed.header().sizeOfRawData();
        }
        out.putShort(headers.numberOfSectionsOffset(), (short) plan.sections().size());
        // A COFF symbol table is debugging data outside every section; the new layout does not carry it.
        out.putInt(headers.symbolTableOffset(), 0).putInt(headers.symbolTableOffset() + 4, 0);
        out.putInt(headers.sizeOfCodeOffset(), (int) (headers.sizeOfCode() + addedCode));
        out.putInt(headers.sizeOfInitializedDataOffset(), (int) (headers.sizeOfInitializedData() + addedData));
        out.putInt(headers.sizeOfImageOffset(), (int) plan.sizeOfImage());
        out.putInt(headers.sizeOfHeadersOffset(), (int) plan.sizeOfHeaders());
        out.putInt(headers.checksumOffset(), 0);
        if (headers.hasCertificateEntry()) out.putLong(headers.certificateEntryOffset(), 0);
        out.clear();

        try (FileChannel file = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            while (out.hasRemaining()) file.write(out);
            for (SectionLayout.Placed placed : plan.sections()) {
                PeSection header = placed.header();
                if (header.sizeOfRawData() == 0) continue;
                if (file.position() != header.pointerToRawData()) {
                    throw new IllegalStateException("the plan is not contiguous at section " + header.name());
                }
                placed.content().writeTo(file);
                long padding = header.pointerToRawData() + header.sizeOfRawData() - file.position();
                if (padding < 0) throw new IllegalStateException("section " + header.name() + " is larger than its raw size");
                ByteBuffer zeros = ByteBuffer.allocate((int) padding);
                while (zeros.hasRemaining()) file.write(zeros);
            }
            PeChecksum.update(file);
        }
    }
}
