package liftoff.init.luks;

/** cryptsetup's hash names (sha256) to the JDK's (SHA-256, HmacSHA256). */
final class Hashes {
    private Hashes() {}

    static String jdkName(String hash) {
        return switch (hash) {
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unchecked hash " + hash);
        };
    }

    static String hmacName(String hash) {
        return "Hmac" + jdkName(hash).replace("-", "");
    }
}
