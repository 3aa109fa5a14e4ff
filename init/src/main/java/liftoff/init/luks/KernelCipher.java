package liftoff.init.luks;

import java.util.ArrayList;
import java.util.List;

/**
 * A dm-crypt cipher as the kernel's crypto API sees it. dm-crypt turns "aes-xts-plain64" into the
 * algorithm "xts(aes)" and "aes-cbc-essiv:sha256" into "essiv(cbc(aes),sha256)" (drivers/md/dm-crypt.c,
 * crypt_ctr_cipher_old); "capi:xts(aes)-plain64" names it directly. To build one the crypto API looks
 * up each template and algorithm in it, asking modprobe for "crypto-NAME" when it has none, and xts
 * and lrw are built over "ecb(CIPHER)". No modprobe runs in the initramfs, so those modules must be
 * in the image and loaded before the table: {@link #moduleAliases} are the names modules.alias gives
 * them ("alias crypto-xts xts", "alias crypto-aes aesni_intel").
 *
 * @param spec       the cipher as the LUKS header and the table name it
 * @param algorithm  the crypto API's name for it
 * @param components the templates and algorithms the crypto API needs for it, outermost first
 */
public record KernelCipher(String spec, String algorithm, List<String> components) {
    /** The ciphers cryptsetup formats with by default: LUKS2's (and LUKS1's since 1.6), and LUKS1's before. */
    public static final List<String> CRYPTSETUP_DEFAULTS = List.of("aes-xts-plain64", "aes-cbc-essiv:sha256");

    public KernelCipher {
        components = List.copyOf(components);
    }

    /** {@code spec} in dm-crypt's forms {@code cipher[:keycount]-chainmode-ivmode[:ivopts]} or {@code capi:api-ivmode}. */
    public static KernelCipher of(String spec) {
        if (spec.startsWith("capi:")) {
            String rest = spec.substring("capi:".length());
            int dash = rest.lastIndexOf('-');
            String algorithm = dash < 0 ? rest : rest.substring(0, dash);
            List<String> components = new ArrayList<>();
            for (String name : algorithm.split("[(),]")) {
                if (!name.isEmpty()) addWithBase(components, name);
            }
            return new KernelCipher(spec, algorithm, components);
        }
        String[] parts = spec.split("-", 3);
        String cipher = parts[0].split(":", 2)[0];
        String chainmode = parts.length > 1 ? parts[1] : null;
        String ivmode = parts.length > 2 ? parts[2] : null;
        String ivopts = null;
        if (ivmode != null && ivmode.indexOf(':') >= 0) {
            ivopts = ivmode.substring(ivmode.indexOf(':') + 1);
            ivmode = ivmode.substring(0, ivmode.indexOf(':'));
        }
        if (chainmode == null || (chainmode.equals("plain") && ivmode == null)) chainmode = "cbc";   // dm-crypt's default
        List<String> components = new ArrayList<>();
        String algorithm = chainmode + "(" + cipher + ")";
        if ("essiv".equals(ivmode) && ivopts != null) {
            algorithm = "essiv(" + algorithm + "," + ivopts + ")";
            components.add("essiv");
        }
        addWithBase(components, chainmode);
        components.add(cipher);
        if ("essiv".equals(ivmode) && ivopts != null) components.add(ivopts);
        return new KernelCipher(spec, algorithm, components);
    }

    /** {@code name}, and for the modes built over "ecb(CIPHER)" that template too. */
    private static void addWithBase(List<String> components, String name) {
        if (components.contains(name)) return;
        components.add(name);
        if ((name.equals("xts") || name.equals("lrw")) && !components.contains("ecb")) components.add("ecb");
    }

    /** The modules.alias names of the modules that provide the components: "crypto-xts", "crypto-ecb", "crypto-aes". */
    public List<String> moduleAliases() {
        return components.stream().map(name -> "crypto-" + name).toList();
    }

    /**
     * Why a table with this cipher could not load, for the rescue console: the algorithm the kernel
     * lacks and, for the components the image has no module for, the build options that add them
     * ("--module xts" is the alias the module declares, as "crypto-xts" is).
     */
    public String missing(List<String> notInImage) {
        String lacks = "the kernel has no \"" + algorithm + "\" for the cipher " + spec;
        if (notInImage.isEmpty()) {
            return lacks + ", though the image's modules for " + String.join(", ", components) + " are there (see the module messages above)";
        }
        return lacks + ": build the image with --module " + String.join(" --module ", notInImage);
    }
}
