package liftoff.init.luks;

import static liftoff.init.luks.LuksHeader.unusable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import liftoff.init.probe.DeviceReader;
import liftoff.init.probe.LuksLayout;

/**
 * The LUKS2 on-disk format (cryptsetup's LUKS2 spec): two copies of a binary header, each followed
 * by the JSON metadata and checksummed together with it; the valid copy with the higher sequence
 * id wins, so a write torn between the copies still opens. From the JSON come the keyslots, the
 * one data segment and the digest that recognises the volume key.
 */
final class Luks2Header {
    private static final int BINARY_SIZE = 4096;
    private static final int CSUM = 448;
    private static final int CSUM_LENGTH = 64;
    private static final String NO_MAGIC = ": no LUKS2 magic";
    private static final String TRUNCATED = ": truncated";

    private Luks2Header() {}

    /** One checked copy of the header: its sequence id, size and metadata. */
    private record Copy(long seqid, long size, String uuid, Map<String, Object> json) {}

    static LuksHeader read(DeviceReader device) throws IOException, LuksException {
        List<String> problems = new ArrayList<>();
        List<Copy> valid = new ArrayList<>();
        Copy primary = copy(device, 0, problems);
        if (primary != null) valid.add(primary);
        // The secondary copy follows the primary's area; with the primary lost, try every allowed size
        // and report only the places that did hold a secondary magic.
        boolean scan = primary == null;
        for (long offset : scan ? LuksLayout.luks2HeaderSizes() : new long[] {primary.size}) {
            List<String> here = new ArrayList<>();
            Copy secondary = copy(device, offset, here);
            if (!scan || !here.isEmpty() && !here.getFirst().endsWith(NO_MAGIC) && !here.getFirst().endsWith(TRUNCATED)) {
                problems.addAll(here);
            }
            if (secondary != null) {
                valid.add(secondary);
                break;
            }
        }
        if (valid.isEmpty()) {
            if (scan && problems.size() == 1) problems.add("no secondary header");
            throw unusable(String.join("; ", problems));
        }
        Copy best = valid.stream().max(Comparator.comparingLong(Copy::seqid)).orElseThrow();
        return metadata(best, device.size());
    }

    /** Reads and checks the copy at {@code offset}; null (and a problem) when it is absent or damaged. */
    private static Copy copy(DeviceReader device, long offset, List<String> problems) throws IOException {
        String which = offset == 0 ? "primary header" : "secondary header at " + offset;
        ByteBuffer binary = device.read(offset, BINARY_SIZE);
        if (binary == null) {
            problems.add(which + TRUNCATED);
            return null;
        }
        binary.order(ByteOrder.BIG_ENDIAN);
        boolean magic = offset == 0 ? LuksLayout.isPrimary(binary) : LuksLayout.isSecondary(binary);
        if (!magic || LuksLayout.version(binary) != 2) {
            problems.add(which + NO_MAGIC);
            return null;
        }
        long size = binary.getLong(8);
        if (!LuksLayout.isLuks2HeaderSize(size)) {
            problems.add(which + ": header size " + size + " is not one LUKS2 allows");
            return null;
        }
        if (binary.getLong(LuksLayout.HEADER_OFFSET) != offset) {
            problems.add(which + ": it says it is at offset " + binary.getLong(LuksLayout.HEADER_OFFSET));
            return null;
        }
        ByteBuffer whole = device.read(offset, (int) size);
        if (whole == null) {
            problems.add(which + ": truncated (" + size + " bytes do not fit the device)");
            return null;
        }
        String algorithm = LuksHeader.text(binary, 72, 32);
        byte[] bytes = whole.array();
        byte[] stored = Arrays.copyOfRange(bytes, CSUM, CSUM + CSUM_LENGTH);
        Arrays.fill(bytes, CSUM, CSUM + CSUM_LENGTH, (byte) 0);
        byte[] computed;
        try {
            if (!Limits.HASHES.contains(algorithm)) throw new NoSuchAlgorithmException();
            computed = MessageDigest.getInstance(Hashes.jdkName(algorithm)).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            problems.add(which + ": unsupported checksum algorithm \"" + Limits.printable(algorithm) + "\"");
            return null;
        }
        if (!MessageDigest.isEqual(computed, Arrays.copyOf(stored, computed.length))) {
            problems.add(which + ": checksum mismatch");
            return null;
        }
        String jsonText;
        try {
            jsonText = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, BINARY_SIZE, (int) size - BINARY_SIZE))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add(which + ": the JSON metadata is not UTF-8");
            return null;
        }
        try {
            return new Copy(binary.getLong(16), size, LuksHeader.text(binary, LuksLayout.UUID, LuksLayout.UUID_LENGTH), Json.parseObject(jsonText));
        } catch (LuksException e) {
            problems.add(which + ": " + e.getMessage());
            return null;
        }
    }

    private static LuksHeader metadata(Copy copy, long deviceSize) throws LuksException {
        Map<String, Object> json = copy.json;
        Map<String, Object> config = object(json, "config");
        Object requirements = config.get("requirements");
        if (requirements instanceof Map<?, ?> r && r.get("mandatory") instanceof List<?> m && !m.isEmpty()) {
            throw unusable("the header requires " + Limits.printable(m.toString()) + ", which liftoff does not do (reencryption in progress?)");
        }
        Map<String, Object> segments = object(json, "segments");
        if (segments.size() != 1) throw unusable(segments.size() + " data segments (a reencryption in progress?); liftoff opens exactly one");
        String segmentId = segments.keySet().iterator().next();
        LuksHeader.Segment segment = segment(object(segments, segmentId), deviceSize, 2 * copy.size);

        Map<String, Object> digests = object(json, "digests");
        List<LuksHeader.Keyslot> keyslots = new ArrayList<>();
        Map<String, Object> slots = object(json, "keyslots");
        for (String id : slots.keySet()) {
            LuksHeader.Digest digest = digestFor(digests, id, segmentId);
            if (digest == null) continue;   // a keyslot for no segment (unbound) cannot open this one
            keyslots.add(keyslot(id, object(slots, id), digest, 2 * copy.size, deviceSize));
        }
        return new LuksHeader(2, copy.uuid, List.copyOf(keyslots), segment);
    }

    private static LuksHeader.Segment segment(Map<String, Object> s, long deviceSize, long metadataEnd) throws LuksException {
        if (!"crypt".equals(s.get("type"))) throw unusable("the data segment is of type " + Limits.printable(String.valueOf(s.get("type"))) + ", not crypt");
        long offset = u64(s, "offset");
        String sizeText = string(s, "size");
        long size = sizeText.equals("dynamic") ? -1 : u64(s, "size");
        int sectorSize = (int) number(s, "sector_size");
        if (sectorSize != 512 && sectorSize != 1024 && sectorSize != 2048 && sectorSize != 4096) {
            throw unusable("sector size " + sectorSize + " is not 512, 1024, 2048 or 4096");
        }
        if (offset < metadataEnd || offset > deviceSize || offset % 512 != 0 || (size >= 0 && size > deviceSize - offset)) {
            throw unusable("the data segment [" + offset + ", +" + (size < 0 ? "dynamic" : size) + ") lies outside the device of " + deviceSize + " bytes");
        }
        if (size >= 0 && size % sectorSize != 0) throw unusable("the data segment is not a whole number of sectors");
        String cipher = string(s, "encryption");
        if (!cipher.matches("[a-z0-9_]+(-[a-z0-9_]+)*(-[a-z0-9_:]+)?") || cipher.length() > 64) {
            throw unusable("unusable data cipher \"" + Limits.printable(cipher) + "\"");
        }
        return new LuksHeader.Segment(offset, size, u64(s, "iv_tweak"), cipher, sectorSize);
    }

    private static LuksHeader.Digest digestFor(Map<String, Object> digests, String keyslot, String segment) throws LuksException {
        for (String id : digests.keySet()) {
            Map<String, Object> d = object(digests, id);
            if (!list(d, "keyslots").contains(keyslot) || !list(d, "segments").contains(segment)) continue;
            if (!"pbkdf2".equals(d.get("type"))) throw unusable("digest " + Limits.printable(id) + " is not pbkdf2");
            return new LuksHeader.Digest(Limits.hash(string(d, "hash")), Limits.iterations(number(d, "iterations")),
                    base64(d, "salt"), base64(d, "digest"));
        }
        return null;
    }

    private static LuksHeader.Keyslot keyslot(String id, Map<String, Object> k, LuksHeader.Digest digest,
            long metadataEnd, long deviceSize) throws LuksException {
        String where = "keyslot " + Limits.printable(id);
        if (!"luks2".equals(k.get("type"))) throw unusable(where + " is of an unknown type");
        int keyBytes = Limits.keyBytes(number(k, "key_size"));
        Map<String, Object> af = object(k, "af");
        if (!"luks1".equals(af.get("type"))) throw unusable(where + ": unknown anti-forensic split");
        int stripes = Limits.stripes(number(af, "stripes"));
        String afHash = Limits.hash(string(af, "hash"));
        Map<String, Object> area = object(k, "area");
        if (!"raw".equals(area.get("type"))) throw unusable(where + ": unknown area type");
        long offset = u64(area, "offset");
        long size = u64(area, "size");
        Limits.areaInside(where, offset, size, metadataEnd, deviceSize);
        long needed = Limits.areaSize((long) keyBytes * stripes);
        if (size < needed) throw unusable(where + ": its area of " + size + " bytes cannot hold " + stripes + " stripes");
        String cipher = string(area, "encryption");
        int areaKeyBytes = Limits.keyBytes(number(area, "key_size"));
        SectorCipher.check(cipher, areaKeyBytes);
        Map<String, Object> kdf = object(k, "kdf");
        String type = string(kdf, "type");
        LuksHeader.Kdf derivation = switch (type) {
            case "pbkdf2" -> new LuksHeader.Kdf(type, Limits.hash(string(kdf, "hash")),
                    Limits.iterations(number(kdf, "iterations")), 0, 0, 0, base64(kdf, "salt"));
            case "argon2i", "argon2id" -> new LuksHeader.Kdf(type, null, 0, Limits.argon2Time(number(kdf, "time")),
                    Limits.argon2Memory(number(kdf, "memory")), Limits.argon2Threads(number(kdf, "cpus")), base64(kdf, "salt"));
            default -> throw unusable(where + ": unsupported key derivation \"" + Limits.printable(type) + "\"");
        };
        int priority = k.get("priority") instanceof Long p ? (int) Math.clamp(p, 0, 2) : 1;
        return new LuksHeader.Keyslot(id, priority, keyBytes, derivation, stripes, afHash, offset, needed,
                cipher, areaKeyBytes, digest);
    }

    private static Map<String, Object> object(Map<String, Object> parent, String key) throws LuksException {
        if (parent.get(key) instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            return object;
        }
        throw missing(key, "an object");
    }

    private static List<?> list(Map<String, Object> parent, String key) throws LuksException {
        if (parent.get(key) instanceof List<?> list) return list;
        throw missing(key, "an array");
    }

    private static String string(Map<String, Object> parent, String key) throws LuksException {
        if (parent.get(key) instanceof String s) return s;
        throw missing(key, "a string");
    }

    private static long number(Map<String, Object> parent, String key) throws LuksException {
        if (parent.get(key) instanceof Long n) return n;
        throw missing(key, "a number");
    }

    /** LUKS2 writes 64-bit values as decimal strings, since JSON numbers lose precision past 2^53. */
    private static long u64(Map<String, Object> parent, String key) throws LuksException {
        String text = string(parent, key);
        if (!text.matches("[0-9]{1,19}")) throw missing(key, "a decimal string");
        return Long.parseLong(text);
    }

    private static byte[] base64(Map<String, Object> parent, String key) throws LuksException {
        try {
            return Base64.getDecoder().decode(string(parent, key));
        } catch (IllegalArgumentException e) {
            throw missing(key, "base64");
        }
    }

    private static LuksException missing(String key, String what) {
        return unusable("\"" + Limits.printable(key) + "\" is missing or not " + what);
    }
}
