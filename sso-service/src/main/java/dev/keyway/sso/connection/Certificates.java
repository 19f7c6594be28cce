package dev.keyway.sso.connection;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

import dev.keyway.runtime.problem.ApiException;

/** X.509 certificates as admins paste them: PEM with or without headers, with or without line breaks or quotes. */
public final class Certificates {

    private Certificates() {
    }

    /**
     * @param label names the certificate in the error ("certificates[1]")
     * @throws ApiException 400 naming what is wrong
     */
    public static X509Certificate parse(String text, String label) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest(label + ": empty; paste the certificate (PEM or base64).");
        }
        String body = text.replaceAll("-----(BEGIN|END) CERTIFICATE-----", "")
                .replace("\\n", "").replaceAll("[\\s\"']", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(label + ": not base64; paste the certificate as PEM or base64 text.");
        }
        return parse(der, label);
    }

    public static X509Certificate parse(byte[] der, String label) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw ApiException.badRequest(label + ": not an X.509 certificate.");
        }
    }

    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate certificate) {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der(certificate))
                + "\n-----END CERTIFICATE-----\n";
    }

    public static String base64(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(der(certificate));
    }

    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(der(certificate)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
