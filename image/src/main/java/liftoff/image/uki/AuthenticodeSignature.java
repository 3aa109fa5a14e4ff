package liftoff.image.uki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The PKCS#7 SignedData of an Authenticode signature ("Windows Authenticode Portable Executable
 * Signature Format"): its content is an SpcIndirectDataContent, which says "a PE image" and carries
 * the image's {@link AuthenticodeHash}; the signer signs that content's DER value (without its tag
 * and length, an Authenticode rule) through the usual signed attributes. Bouncy Castle's CMS generator
 * makes the SignerInfo; the SignedData around it is rebuilt because Authenticode is PKCS#7 v1.5:
 * version 1, and the content inline as the SEQUENCE itself where CMS would wrap it in an OCTET STRING
 * (firmware and sbverify read it as a SEQUENCE). The signed attributes are the content type and the
 * message digest only: no signing time, so the same image and key give the same bytes.
 */
public final class AuthenticodeSignature {
    static final ASN1ObjectIdentifier SPC_INDIRECT_DATA = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.4");
    static final ASN1ObjectIdentifier SPC_PE_IMAGE_DATA = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.15");
    /** What signtool, sbsign and osslsigncode put in SpcPeImageData's file link, a relic of Authenticode's first version. */
    private static final String OBSOLETE = "<<<Obsolete>>>";

    /** What an image's signature says: who signed, over which digest, and whether the signature verifies. */
    public record Signer(String subject, ASN1ObjectIdentifier digestAlgorithm, byte[] imageDigest, boolean signatureValid) {
        public boolean isSha256() {
            return digestAlgorithm.equals(NISTObjectIdentifiers.id_sha256);
        }
    }

    private AuthenticodeSignature() {}

    /** The DER PKCS#7 ContentInfo that signs an image whose SHA-256 Authenticode digest is {@code imageDigest}. */
    public static byte[] sign(byte[] imageDigest, SigningKey key) throws IOException {
        ASN1Sequence indirectData = indirectData(imageDigest);
        CMSTypedData signedContent = new CMSProcessableByteArray(SPC_INDIRECT_DATA, contentValue(indirectData));
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(AuthenticodeSignature::signedAttributes)
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.privateKey()), key.certificate()));
            generator.addCertificate(new JcaX509CertificateHolder(key.certificate()));
            SignedData cms = SignedData.getInstance(generator.generate(signedContent, false).toASN1Structure().getContent());
            ASN1EncodableVector pkcs7 = new ASN1EncodableVector();
            pkcs7.add(new ASN1Integer(1));
            pkcs7.add(cms.getDigestAlgorithms());
            pkcs7.add(new ContentInfo(SPC_INDIRECT_DATA, indirectData));
            pkcs7.add(new DERTaggedObject(false, 0, cms.getCertificates()));
            pkcs7.add(cms.getSignerInfos());
            return new ContentInfo(CMSObjectIdentifiers.signedData, new DERSequence(pkcs7)).getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | GeneralSecurityException e) {
            throw new IOException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** contentType (SpcIndirectDataContent) and messageDigest: the attributes Authenticode needs, and nothing time-dependent. */
    private static AttributeTable signedAttributes(Map<?, ?> parameters) {
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(CMSAttributes.contentType, new DERSet(SPC_INDIRECT_DATA)));
        attributes.add(new Attribute(CMSAttributes.messageDigest,
                new DERSet(new DEROctetString((byte[]) parameters.get(CMSAttributeTableGenerator.DIGEST)))));
        return new AttributeTable(attributes);
    }

    /**
     * SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue (a PE image:
     * SpcPeImageData with no flags and the obsolete file link), messageDigest DigestInfo }.
     */
    static ASN1Sequence indirectData(byte[] imageDigest) {
        ASN1Encodable fileLink = new DERTaggedObject(true, 0,
                new DERTaggedObject(true, 2, new DERTaggedObject(false, 0, new DERBMPString(OBSOLETE))));
        ASN1Sequence peImageData = new DERSequence(new ASN1Encodable[] {new DERBitString(new byte[0]), fileLink});
        ASN1Sequence data = new DERSequence(new ASN1Encodable[] {SPC_PE_IMAGE_DATA, peImageData});
        ASN1Sequence digestInfo = new DERSequence(new ASN1Encodable[] {
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE), new DEROctetString(imageDigest)});
        return new DERSequence(new ASN1Encodable[] {data, digestInfo});
    }

    /** The DER encoding of {@code sequence} without its tag and length: what Authenticode's signer digests. */
    private static byte[] contentValue(ASN1Sequence sequence) throws IOException {
        byte[] der = sequence.getEncoded(ASN1Encoding.DER);
        int lengthBytes = (der[1] & 0x80) == 0 ? 1 : 1 + (der[1] & 0x7f);
        return Arrays.copyOfRange(der, 1 + lengthBytes, der.length);
    }

    private static boolean verifies(SignerInformation signer, X509CertificateHolder certificate)
            throws CMSException, OperatorCreationException, GeneralSecurityException {
        try {
            return signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate));
        } catch (CMSSignerDigestMismatchException e) {
            return false;
        }
    }

    /**
     * Reads a signature: the signer's certificate subject, the image digest it vouches for, and
     * whether the signature over it verifies with that certificate (not whether anyone trusts it).
     */
    public static Signer read(byte[] pkcs7) throws IOException {
        try (ASN1InputStream in = new ASN1InputStream(pkcs7)) {   // reads one object: padding may follow
            ContentInfo contentInfo = ContentInfo.getInstance(in.readObject());
            if (!CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
                throw new IOException("the signature is not PKCS#7 SignedData but " + contentInfo.getContentType());
            }
            SignedData signedData = SignedData.getInstance(contentInfo.getContent());
            ContentInfo content = signedData.getEncapContentInfo();
            if (!SPC_INDIRECT_DATA.equals(content.getContentType()) || content.getContent() == null) {
                throw new IOException("the signed content is not an Authenticode SpcIndirectDataContent");
            }
            ASN1Sequence indirectData = ASN1Sequence.getInstance(content.getContent());
            ASN1Sequence digestInfo = ASN1Sequence.getInstance(indirectData.getObjectAt(1));
            ASN1ObjectIdentifier algorithm = AlgorithmIdentifier.getInstance(digestInfo.getObjectAt(0)).getAlgorithm();
            byte[] digest = ASN1OctetString.getInstance(digestInfo.getObjectAt(1)).getOctets();

            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(SPC_INDIRECT_DATA, contentValue(indirectData)), contentInfo);
            SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
            X509CertificateHolder certificate = null;
            for (X509CertificateHolder candidate : cms.getCertificates().getMatches(null)) {
                if (signer.getSID().match(candidate)) certificate = candidate;
            }
            if (certificate == null) throw new IOException("the signature does not carry its signer's certificate");
            return new Signer(certificate.getSubject().toString(), algorithm, digest, verifies(signer, certificate));
        } catch (CMSException | OperatorCreationException | GeneralSecurityException | IllegalArgumentException
                | IllegalStateException | ClassCastException e) {
            throw new IOException("unreadable Authenticode signature: " + e.getMessage(), e);
        }
    }
}
