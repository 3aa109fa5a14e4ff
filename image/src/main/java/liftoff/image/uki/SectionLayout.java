package liftoff.image.uki;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each section of an image made from a stub goes. The stub's sections keep their memory
 * addresses (its code refers to them); new sections follow its last one, each at the next
 * SectionAlignment boundary, as ukify places them. Raw data is laid out in table order right after
 * the headers, each section at a FileAlignment boundary and padded to one, so that every byte after
 * the headers belongs to a section and the Authenticode hash covers the whole file. The section
 * table grows into the headers: when it no longer fits before the stub's first raw data, the raw
 * data moves back (file offsets are not referred to by code); it must still end before the first
 * section's memory address, where the headers' mapping ends.
 */
final class SectionLayout {
    private SectionLayout() {}

    /** A section to add after the stub's. */
    record Added(String name, SectionContent content, long virtualSize, int characteristics) {}

    /** A table entry and the bytes that go at its raw data (padded with zeros to SizeOfRawData). */
    record Placed(PeSection header, SectionContent content) {}

    /** The new section table (the {@code kept} stub sections first) and header sizes. */
    record Plan(List<Placed> sections, int kept, long sizeOfHeaders, long sizeOfImage) {
        List<Placed> added() {
            return sections.subList(kept, sections.size());
        }
    }

    /**
     * @param stub  the stub's headers
     * @param kept  the stub's sections to keep, in table order, each with its content
     * @param added the new sections, in the order they go into the table
     */
    static Plan plan(PeHeaders stub, List<Placed> kept, List<Added> added) throws PeFormatException {
        long fileAlignment = stub.fileAlignment();
        long sectionAlignment = stub.sectionAlignment();
        int count = kept.size() + added.size();
        long tableEnd = stub.sectionTableOffset() + (long) count * PeSection.HEADER_SIZE;
        long sizeOfHeaders = alignUp(Math.max(stub.sizeOfHeaders(), tableEnd), fileAlignment);
        long firstAddress = kept.stream().mapToLong(p -> p.header().virtualAddress()).min().orElse(Long.MAX_VALUE);
        if (sizeOfHeaders > firstAddress) {
            throw new PeFormatException(String.format("no room for %d section headers: they would end at 0x%x, "
                    + "past the stub's first section at address 0x%x", count, sizeOfHeaders, firstAddress));
        }

        List<Placed> table = new ArrayList<>();
        long cursor = sizeOfHeaders;
        long keptEnd = stub.sizeOfImage();
        for (Placed section : kept) {
            PeSection header = section.header();
            long raw = alignUp(header.sizeOfRawData(), fileAlignment);
            long pointer = raw == 0 ? 0 : cursor;
            cursor += raw;
            table.add(new Placed(new PeSection(header.name(), header.virtualSize(), header.virtualAddress(), raw, pointer,
                    header.characteristics()), section.content()));
            keptEnd = Math.max(keptEnd, header.virtualEnd());
        }
        long address = alignUp(keptEnd, sectionAlignment);
        for (Added section : added) {
            long size = section.content().size();
            long raw = alignUp(size, fileAlignment);
            long virtualSize = Math.max(size, section.virtualSize());
            table.add(new Placed(new PeSection(section.name(), virtualSize, address, raw, cursor, section.characteristics()),
                    section.content()));
            cursor += raw;
            address = alignUp(address + virtualSize, sectionAlignment);
        }
        if (address > 0xffffffffL || cursor > 0xffffffffL) {
            throw new PeFormatException("the image would be larger than the 4 GiB a PE image can address");
        }
        return new Plan(List.copyOf(table), kept.size(), sizeOfHeaders, address);
    }

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
