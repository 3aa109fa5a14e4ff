package liftoff.image.uki;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.util.function.Supplier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * A Secure Boot signing key as sbsign takes it: a PEM private key (PKCS#8, or OpenSSL's traditional
 * PKCS#1 "RSA PRIVATE KEY"; either may be encrypted) and its X.509 certificate, PEM or DER. RSA only:
 * UEFI firmware verifies RSA-2048 signatures, and PKCS#1 v1.5 signing is deterministic, which keeps
 * signed images reproducible.
 */
public record SigningKey(PrivateKey privateKey, X509Certificate certificate) {

    /** The certificate's subject as OpenSSL and {@code liftoff inspect} print it, e.g. "C=US,ST=Colorado,O=SnakeOil". */
    public String subject() {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).toString();
    }

    /**
     * Loads the pair. {@code passphrase} is asked only for an encrypted key, and may answer null (no
     * way to ask). Errors name the file and what is wrong with it.
     */
    public static SigningKey load(Path keyFile, Path certificateFile, Supplier<char[]> passphrase) throws IOException {
        X509Certificate certificate = certificate(certificateFile);
        PrivateKey key = privateKey(keyFile, passphrase);
        if (!(key instanceof RSAKey rsa) || !(certificate.getPublicKey() instanceof RSAPublicKey publicKey)) {
            throw new IOException(keyFile + ": an RSA key is needed (UEFI firmware verifies RSA signatures), this is "
                    + key.getAlgorithm());
        }
        if (!rsa.getModulus().equals(publicKey.getModulus())) {
            throw new IOException(keyFile + ": the key does not belong to the certificate " + certificateFile);
        }
        return new SigningKey(key, certificate);
    }

    private static X509Certificate certificate(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException(file + ": not an X.509 certificate in PEM or DER (" + e.getMessage() + ")", e);
        }
    }

    private static PrivateKey privateKey(Path file, Supplier<char[]> passphrase) throws IOException {
        Object pem;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            pem = parser.readObject();
        } catch (PEMException | IllegalArgumentException e) {
            throw new IOException(file + ": not a PEM private key (" + e.getMessage() + ")", e);
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            return switch (pem) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
                case PKCS8EncryptedPrivateKeyInfo encrypted -> converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bouncyCastle()).build(ask(file, passphrase))));
                case PEMEncryptedKeyPair encrypted -> converter.getKeyPair(
                        encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(bouncyCastle()).build(ask(file, passphrase)))).getPrivate();
                case null -> throw new IOException(file + ": no PEM private key in it");
                default -> throw new IOException(file + ": a PEM " + pem.getClass().getSimpleName() + ", not a private key");
            };
        } catch (PKCSException | OperatorCreationException | PEMException e) {
            throw new IOException(file + ": cannot decrypt the key (wrong passphrase?): " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts keys: OpenSSL's encrypted PEM uses ciphers the JDK has no parameters for (Debian's
     * snakeoil key is PBES2 with DES-EDE3-CBC). Used directly, not installed as a JCA provider, and
     * made only for an encrypted key: it takes about a second to set up.
     */
    private static Provider bouncyCastle() {
        return new BouncyCastleProvider();
    }

    private static char[] ask(Path file, Supplier<char[]> passphrase) throws IOException {
        char[] answer = passphrase.get();
        if (answer == null) throw new IOException(file + ": the key is encrypted and no passphrase was given");
        return answer;
    }
}
