package liftoff.init.luks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.cmdline.LuksOptions;
import liftoff.init.cmdline.RootOptions;
import liftoff.init.mapper.MappedDevice;
import liftoff.init.modules.DeviceEvents;
import liftoff.init.modules.ModuleLoader;
import liftoff.init.probe.DeviceReader;
import liftoff.init.root.RootDevice;
import liftoff.init.root.RootSpec;
import liftoff.sys.DeviceMapper;
import liftoff.sys.Errno;
import liftoff.sys.Keys;
import liftoff.sys.SyscallException;

/**
 * Opens the LUKS devices the command line names (rd.luks.uuid=, rd.luks.name=) before the root is
 * looked for: wait for the device by its LUKS UUID, read and check its header, get the volume key
 * from the key file or a passphrase typed on the console (three tries), load dm-crypt and the
 * cipher's modules, and map the data as /dev/mapper/NAME. The root is then found through it
 * (root=/dev/mapper/NAME or root=UUID= of the filesystem inside).
 */
public final class LuksUnlock {
    static final int TRIES = 3;

    private LuksUnlock() {}

    /** @param wait how long to wait for each device: as long as for the root */
    public static void openAll(LuksOptions options, RootOptions wait, ModuleLoader loader, DeviceEvents events, Log log)
            throws BootFailure {
        for (LuksOptions.Volume volume : options.volumes()) open(volume, options, wait, loader, events, log);
    }

    private static void open(LuksOptions.Volume volume, LuksOptions options, RootOptions wait, ModuleLoader loader,
            DeviceEvents events, Log log)
            throws BootFailure {
        RootSpec spec = new RootSpec(RootSpec.Kind.UUID, volume.uuid(), 0);
        Path device = RootDevice.await(spec, "LUKS device", wait, events, log);
        byte[] key = null;
        try (DeviceReader reader = DeviceReader.open(device)) {
            LuksHeader header = LuksHeader.read(reader);
            log.info("LUKS" + header.version() + " " + volume.uuid() + " on " + device + ": " + header.keyslots().size()
                    + " keyslot(s), data " + header.segment().cipher() + " at " + header.segment().offset());
            if (!UnlockProcess.cheap(header)) log.info("expensive keyslots: the key is derived in a second, JIT-compiled JVM");
            key = options.keyPath() != null ? fromKeyFile(header, reader, device, options, log) : null;
            if (key == null) key = fromPassphrase(header, reader, volume, device, log);
            KernelCipher cipher = KernelCipher.of(header.segment().cipher());
            requireModules(cipher, loader, log);
            String keyName = CryptTable.keyDescription(header, volume.name());
            DeviceMapper.Target table = CryptTable.target(header.segment(), key.length, keyName, device.toString(), reader.size(),
                    options.discard());
            // The key waits in the keyring only until dm-crypt has taken its own copy (at the table load).
            int keyInKernel = Keys.add("logon", keyName, key, Keys.PROCESS_KEYRING);
            try {
                MappedDevice.create(volume.name(), CryptTable.dmUuid(header, volume.name()), false, List.of(table), log);
            } catch (SyscallException e) {
                throw tableRefused(device, cipher, e, loader);
            } finally {
                Keys.unlink(keyInKernel, Keys.PROCESS_KEYRING);
            }
            log.info("LUKS " + volume.uuid() + " opened as /dev/mapper/" + volume.name() + (options.discard() ? " (discards allowed)" : ""));
        } catch (LuksException e) {
            throw new BootFailure(device + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BootFailure("cannot read the LUKS device " + device + ": " + e.getMessage());
        } finally {
            VolumeKey.wipe(key);
        }
    }

    /** The key file's bytes as the passphrase; null (ask instead) when it is missing or does not fit. */
    private static byte[] fromKeyFile(LuksHeader header, DeviceReader reader, Path device, LuksOptions options, Log log)
            throws LuksException {
        byte[] secret = null;
        try {
            secret = Files.readAllBytes(Path.of(options.keyPath()));
            byte[] key = unlock(header, reader, device, secret, log);
            if (key == null) log.warn("the key file " + options.keyPath() + " opens no keyslot; asking for the passphrase");
            return key;
        } catch (IOException e) {
            log.warn("cannot read the key file " + options.keyPath() + " (" + e.getClass().getSimpleName() + "); asking for the passphrase");
            return null;
        } finally {
            VolumeKey.wipe(secret);
        }
    }

    private static byte[] fromPassphrase(LuksHeader header, DeviceReader reader, LuksOptions.Volume volume, Path device, Log log)
            throws LuksException, BootFailure {
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            byte[] passphrase = Passphrase.read("Passphrase for " + device + " (" + volume.uuid() + "): ", log);
            if (passphrase == null) throw new BootFailure("no console to ask for the passphrase of " + device);
            try {
                byte[] key = unlock(header, reader, device, passphrase, log);
                if (key != null) return key;
            } finally {
                VolumeKey.wipe(passphrase);
            }
            log.console("liftoff: wrong passphrase for " + device + " (try " + attempt + " of " + TRIES + ")");
        }
        throw new BootFailure("wrong passphrase for the LUKS device " + device + " (" + volume.uuid() + "), " + TRIES + " tries");
    }

    /** The volume key, in this JVM when the keyslots are cheap, else in a JIT-compiled one (UnlockProcess). */
    private static byte[] unlock(LuksHeader header, DeviceReader reader, Path device, byte[] secret, Log log) throws LuksException {
        long start = System.nanoTime();
        byte[] key = UnlockProcess.cheap(header) ? VolumeKey.unlock(header, reader, secret) : UnlockProcess.unlock(device, header, secret);
        log.info("keyslots tried in " + (System.nanoTime() - start) / 1_000_000 + " ms: " + (key == null ? "none opened" : "opened"));
        return key;
    }

    /**
     * dm_mod and dm_crypt, and the modules of the cipher's templates and algorithms (KernelCipher):
     * the kernel would ask modprobe for "crypto-xts", and there is no modprobe here. Only names the
     * image has a module for are loaded; the others are built in, or missing, which the table load
     * then tells ({@link #tableRefused}).
     */
    private static void requireModules(KernelCipher cipher, ModuleLoader loader, Log log) throws BootFailure {
        MappedDevice.requireTarget(loader, "dm_crypt");
        List<String> loaded = new ArrayList<>();
        for (String alias : cipher.moduleAliases()) {
            if (loader.moduleFor(alias) != null) loaded.addAll(loader.loadByName(alias));
        }
        if (!loaded.isEmpty()) log.info("cipher " + cipher.spec() + ": loaded " + String.join(" ", loaded));
    }

    /**
     * A refused dm-crypt table, explained. dm-crypt fails with ENOENT (or EINVAL) when the crypto API
     * cannot build the cipher, and then /proc/crypto has no entry for it: say which algorithm is
     * missing and how to put its modules into the image, rather than the bare ioctl error. A part
     * the kernel has (a built-in template, an algorithm /proc/crypto lists) is not suggested.
     */
    private static BootFailure tableRefused(Path device, KernelCipher cipher, SyscallException e, ModuleLoader loader) {
        boolean cipherMissing = e.call().contains("DM_TABLE_LOAD") && (e.errno() == Errno.ENOENT || e.errno() == Errno.EINVAL)
                && !MappedDevice.cryptoReady(cipher.algorithm());
        if (!cipherMissing) return new BootFailure("cannot map the LUKS device " + device + ": " + e.getMessage());
        List<String> notInImage = cipher.components().stream()
                .filter(name -> loader.moduleFor("crypto-" + name) == null && !loader.present(name) && !MappedDevice.cryptoReady(name))
                .toList();
        return new BootFailure("cannot map the LUKS device " + device + ": " + cipher.missing(notInImage) + " (" + e.getMessage() + ")");
    }
}
