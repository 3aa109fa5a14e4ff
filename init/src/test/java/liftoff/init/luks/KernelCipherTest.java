package liftoff.init.luks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** dm-crypt's cipher strings as the kernel's crypto API builds them (drivers/md/dm-crypt.c), and what it needs for them. */
class KernelCipherTest {
    @Test
    void xtsIsBuiltOverEcb() {
        KernelCipher xts = KernelCipher.of("aes-xts-plain64");
        assertEquals("xts(aes)", xts.algorithm());
        assertEquals(List.of("xts", "ecb", "aes"), xts.components());
        assertEquals(List.of("crypto-xts", "crypto-ecb", "crypto-aes"), xts.moduleAliases());
    }

    @Test
    void essivNamesItsHash() {
        KernelCipher essiv = KernelCipher.of("aes-cbc-essiv:sha256");
        assertEquals("essiv(cbc(aes),sha256)", essiv.algorithm());
        assertEquals(List.of("essiv", "cbc", "aes", "sha256"), essiv.components());
    }

    @Test
    void otherFormsOfTheCipherString() {
        assertEquals(new KernelCipher("serpent:2-lrw-benbi", "lrw(serpent)", List.of("lrw", "ecb", "serpent")),
                KernelCipher.of("serpent:2-lrw-benbi"));
        assertEquals(new KernelCipher("twofish", "cbc(twofish)", List.of("cbc", "twofish")), KernelCipher.of("twofish"));
        assertEquals(new KernelCipher("aes-plain", "cbc(aes)", List.of("cbc", "aes")), KernelCipher.of("aes-plain"));
        assertEquals(new KernelCipher("capi:xts(serpent)-plain64", "xts(serpent)", List.of("xts", "ecb", "serpent")),
                KernelCipher.of("capi:xts(serpent)-plain64"));
    }

    @Test
    void aMissingCipherNamesTheAlgorithmAndTheBuildOptions() {
        assertEquals("the kernel has no \"xts(aes)\" for the cipher aes-xts-plain64: build the image with --module xts --module ecb",
                KernelCipher.of("aes-xts-plain64").missing(List.of("xts", "ecb")));
        assertEquals("the kernel has no \"xts(aes)\" for the cipher aes-xts-plain64, though the image's modules for xts, ecb, aes"
                + " are there (see the module messages above)", KernelCipher.of("aes-xts-plain64").missing(List.of()));
    }
}
