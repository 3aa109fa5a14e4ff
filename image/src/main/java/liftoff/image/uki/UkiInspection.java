package liftoff.image.uki;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What {@code liftoff inspect} says about a UKI, whoever made it (ukify, dracut's objcopy, liftoff):
 * its section table, the command line, kernel release and OS it carries, and who signed it.
 *
 * @param sections   the section table as it is in the file
 * @param cmdline    {@code .cmdline}, trimmed
 * @param uname      {@code .uname}
 * @param os         {@code .osrel}'s PRETTY_NAME, or a note on why there is none
 * @param signature  the signer and whether the signature holds, "unsigned", or why it could not be read
 * @param signatureHolds the image is signed, its hash is the signed one and the signature verifies
 *                   with the certificate it carries (whether firmware trusts that certificate is
 *                   another matter: its db decides)
 */
public record UkiInspection(Path file, long fileSize, PeHeaders headers, Optional<String> cmdline, Optional<String> uname,
        String os, String signature, boolean signatureHolds) {

    private record SignatureCheck(String text, boolean holds) {}

    public static UkiInspection of(Path path) throws IOException {
        try (PeFile pe = PeFile.open(path)) {
            SignatureCheck signature = signature(pe);
            return new UkiInspection(path, pe.channel().size(), pe.headers(), pe.text(".cmdline").map(String::strip),
                    pe.text(".uname").map(String::strip), os(pe), signature.text(), signature.holds());
        }
    }

    private static String os(PeFile pe) throws IOException {
        Optional<String> osrel = pe.text(".osrel");
        if (osrel.isEmpty()) return "(no .osrel section)";
        try {
            return OsRelease.prettyName(osrel.get()).orElse("(no PRETTY_NAME or NAME in .osrel)");
        } catch (IOException e) {
            return "(unreadable .osrel: " + e.getMessage() + ")";
        }
    }

    private static SignatureCheck signature(PeFile pe) throws IOException {
        AuthenticodeSignature.Signer signer;
        try {
            Optional<byte[]> pkcs7 = PeSignature.pkcs7(pe);
            if (pkcs7.isEmpty()) return new SignatureCheck("unsigned", false);
            signer = AuthenticodeSignature.read(pkcs7.get());
        } catch (IOException e) {
            return new SignatureCheck("unreadable: " + e.getMessage(), false);
        }
        boolean hashMatches = signer.isSha256() && Arrays.equals(signer.imageDigest(), AuthenticodeHash.sha256(pe.channel(), pe.headers()));
        String hash = !signer.isSha256() ? "image digest " + signer.digestAlgorithm() + " not checked"
                : hashMatches ? "the image's SHA-256 Authenticode hash matches"
                : "the image's SHA-256 Authenticode hash DOES NOT MATCH: changed after signing";
        String verifies = signer.signatureValid() ? "the signature verifies with its certificate"
                : "the signature DOES NOT VERIFY with its certificate";
        return new SignatureCheck(signer.subject() + " (" + hash + "; " + verifies + ")", hashMatches && signer.signatureValid());
    }

    /** The report: a summary line, the section table, then one line per fact. */
    public String report() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%s: %s %s, %d sections, %d bytes%n", file, headers.pe32Plus() ? "PE32+" : "PE32",
                machine(headers.machine()), headers.sections().size(), fileSize));
        text.append(String.format("%-8s  %-10s  %-10s  %-10s  %s%n", "name", "address", "size", "raw size", "file offset"));
        for (PeSection s : headers.sections()) {
            text.append(String.format("%-8s  0x%08x  0x%08x  0x%08x  0x%08x%n", s.name(), headers.imageBase() + s.virtualAddress(),
                    s.virtualSize(), s.sizeOfRawData(), s.pointerToRawData()));
        }
        text.append(String.format("%-10s %s%n", "cmdline:", cmdline.orElse("(no .cmdline section)")));
        text.append(String.format("%-10s %s%n", "uname:", uname.orElse("(no .uname section)")));
        text.append(String.format("%-10s %s%n", "os:", os));
        text.append(String.format("%-10s %s%n", "signature:", signature));
        return text.toString();
    }

    private static String machine(int machine) {
        return switch (machine) {
            case 0x8664 -> "x86-64";
            case 0x14c -> "ia32";
            case 0xaa64 -> "arm64";
            case 0x5064 -> "riscv64";
            default -> String.format("machine 0x%x", machine);
        };
    }
}
