package dev.keyway.sso.saml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.AuthnRequest;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameIDPolicy;
import org.opensaml.security.SecurityException;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.keyinfo.impl.X509KeyInfoGeneratorFactory;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.SignatureException;
import org.opensaml.xmlsec.signature.support.Signer;

import dev.keyway.sso.connection.SamlConnection;
import dev.keyway.sso.connection.SpEndpoints;

/**
 * SP-initiated sign-in: an AuthnRequest to the IdP, by HTTP-Redirect when the IdP's metadata offers it (signed over
 * the query string when the organization has an SP key, SAML bindings §3.4.4.1), else by HTTP-POST (the request
 * itself signed by OpenSAML).
 */
public final class AuthnRequests {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where to send the browser: a redirect, or an auto-submitting form. */
    public sealed interface Outgoing permits Redirect, PostForm {

        String requestId();
    }

    public record Redirect(String requestId, String location) implements Outgoing {
    }

    /** The auto-submitting form, to be served under its own Content-Security-Policy. */
    public record PostForm(String requestId, String html, String contentSecurityPolicy) implements Outgoing {
    }

    private AuthnRequests() {
    }

    public static String newRequestId() {
        byte[] random = new byte[20];
        RANDOM.nextBytes(random);
        return "_" + HexFormat.of().formatHex(random);
    }

    public static Outgoing create(SamlConnection connection, SpEndpoints endpoints, String relayState) {
        String id = newRequestId();
        boolean redirect = connection.idpRedirectUrl() != null;
        AuthnRequest request = SamlObjects.build(AuthnRequest.DEFAULT_ELEMENT_NAME);
        request.setID(id);
        request.setVersion(SAMLVersion.VERSION_20);
        request.setIssueInstant(Instant.now());
        request.setDestination(redirect ? connection.idpRedirectUrl() : connection.idpPostUrl());
        request.setAssertionConsumerServiceURL(endpoints.acs(connection.slug()));
        request.setProtocolBinding(SAMLConstants.SAML2_POST_BINDING_URI);
        Issuer issuer = SamlObjects.build(Issuer.DEFAULT_ELEMENT_NAME);
        issuer.setValue(endpoints.entityId(connection.slug()));
        request.setIssuer(issuer);
        NameIDPolicy policy = SamlObjects.build(NameIDPolicy.DEFAULT_ELEMENT_NAME);
        policy.setAllowCreate(true);
        request.setNameIDPolicy(policy);
        return redirect ? redirect(request, connection, relayState) : post(request, connection, relayState);
    }

    private static Redirect redirect(AuthnRequest request, SamlConnection connection, String relayState) {
        String xml = SamlObjects.serialize(request);
        StringBuilder query = new StringBuilder("SAMLRequest=").append(encode(deflate(xml)));
        if (relayState != null) {
            query.append("&RelayState=").append(encode(relayState));
        }
        connection.signingKey().ifPresent(key -> {
            query.append("&SigAlg=").append(encode(SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256));
            try {
                java.security.Signature signer = java.security.Signature.getInstance("SHA256withRSA");
                signer.initSign(key.privateKey());
                signer.update(query.toString().getBytes(StandardCharsets.UTF_8));
                query.append("&Signature=").append(encode(Base64.getEncoder().encodeToString(signer.sign())));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not sign the AuthnRequest", e);
            }
        });
        String destination = connection.idpRedirectUrl();
        return new Redirect(request.getID(), destination + (destination.contains("?") ? "&" : "?") + query);
    }

    private static PostForm post(AuthnRequest request, SamlConnection connection, String relayState) {
        connection.signingKey().ifPresent(key -> {
            BasicX509Credential credential = new BasicX509Credential(key.certificate(), key.privateKey());
            Signature signature = SamlObjects.build(Signature.DEFAULT_ELEMENT_NAME);
            signature.setSigningCredential(credential);
            signature.setSignatureAlgorithm(SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256);
            signature.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            X509KeyInfoGeneratorFactory keyInfo = new X509KeyInfoGeneratorFactory();
            keyInfo.setEmitEntityCertificate(true);
            try {
                signature.setKeyInfo(keyInfo.newInstance().generate(credential));
                request.setSignature(signature);
                SamlObjects.marshall(request);
                Signer.signObject(signature);
            } catch (SignatureException | SecurityException e) {
                throw new IllegalStateException("could not sign the AuthnRequest", e);
            }
        });
        String encoded = Base64.getEncoder()
                .encodeToString(SamlObjects.serialize(request).getBytes(StandardCharsets.UTF_8));
        Html.Page page = Html.postForm(connection.idpPostUrl(), encoded, relayState);
        return new PostForm(request.getID(), page.html(), page.contentSecurityPolicy());
    }

    private static String deflate(String xml) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFLATED, true))) {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
