package dev.keyway.sso.connection;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.vertx.core.Context;

/** Generates an organization's SP key pair and its self-signed certificate (BouncyCastle). */
final class SpKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SpKeys() {
    }

    /**
     * A fresh RSA-3072 key pair and certificate for the organization's SP, valid for {@code validity}. Takes tens to
     * hundreds of milliseconds of CPU: never on an event loop, where it would stall every request sharing it.
     */
    static KeyPairAndCertificate generate(String organization, Duration validity) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("RSA key generation blocks: run it on a worker thread");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072, RANDOM);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            var name = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "Keyway").addRDN(BCStyle.CN, "Keyway SP " + organization).build();
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, RANDOM),
                    Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(validity)), name, keys.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new KeyPairAndCertificate(keys, certificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not generate an SP key pair", e);
        }
    }

    record KeyPairAndCertificate(KeyPair keys, X509Certificate certificate) {
    }
}
