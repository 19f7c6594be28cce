package dev.keyway.sso.connection;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.opensaml.core.xml.XMLObject;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.IDPSSODescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.security.credential.UsageType;
import org.opensaml.xmlsec.signature.X509Data;

import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.saml.OpenSaml;

/**
 * Reads what we need from an IdP's metadata (JumpCloud's "Export Metadata"): entity id, signing certificates and
 * the single sign-on URLs by binding. Parsed with the hardened SAML parser; every problem is a 400 naming it. The
 * single sign-on URLs pass the same check as an SSO URL typed by hand ({@link IdpUrls}).
 */
public final class IdpMetadata {

    /** Metadata larger than this is not an IdP descriptor anyone pastes. */
    public static final int MAX_BYTES = 256 * 1024;

    /** What an IdP's metadata says. */
    public record Descriptor(String entityId, List<X509Certificate> signingCertificates, String redirectUrl,
            String postUrl) {
    }

    private IdpMetadata() {
    }

    /** The metadata of an IdP whose single sign-on URLs are https. */
    public static Descriptor parse(String xml) {
        return parse(xml, false);
    }

    /** @param allowHttp accept plain-http single sign-on URLs (the operator's choice, for tests and stand-ins) */
    public static Descriptor parse(String xml, boolean allowHttp) {
        byte[] bytes = xml == null ? new byte[0] : xml.strip().getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw ApiException.badRequest("metadata: empty.");
        }
        if (bytes.length > MAX_BYTES) {
            throw ApiException.badRequest("metadata: larger than " + MAX_BYTES + " bytes.");
        }
        XMLObject object;
        try {
            object = OpenSaml.unmarshall(OpenSaml.parse(bytes).getDocumentElement());
        } catch (Exception e) {
            throw ApiException.badRequest("metadata: not well-formed XML, or not SAML metadata (DTDs are refused).");
        }
        if (!(object instanceof EntityDescriptor entity)) {
            throw ApiException.badRequest("metadata: the root element must be md:EntityDescriptor.");
        }
        IDPSSODescriptor idp = entity.getIDPSSODescriptor(SAMLConstants.SAML20P_NS);
        if (idp == null) {
            throw ApiException.badRequest("metadata: no IDPSSODescriptor for SAML 2.0; is this the IdP's metadata?");
        }
        if (entity.getEntityID() == null || entity.getEntityID().isBlank()) {
            throw ApiException.badRequest("metadata: the EntityDescriptor has no entityID.");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (KeyDescriptor key : idp.getKeyDescriptors()) {
            if (key.getUse() == UsageType.ENCRYPTION || key.getKeyInfo() == null) {
                continue;
            }
            for (X509Data data : key.getKeyInfo().getX509Datas()) {
                for (org.opensaml.xmlsec.signature.X509Certificate certificate : data.getX509Certificates()) {
                    certificates.add(Certificates.parse(certificate.getValue(),
                            "metadata: signing certificate " + (certificates.size() + 1)));
                }
            }
        }
        if (certificates.isEmpty()) {
            throw ApiException.badRequest("metadata: no signing certificate in the IDPSSODescriptor's KeyDescriptors.");
        }
        String redirect = location(idp, SAMLConstants.SAML2_REDIRECT_BINDING_URI, "HTTP-Redirect", allowHttp);
        String post = location(idp, SAMLConstants.SAML2_POST_BINDING_URI, "HTTP-POST", allowHttp);
        if (redirect == null && post == null) {
            throw ApiException
                    .badRequest("metadata: no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.");
        }
        return new Descriptor(entity.getEntityID(), certificates, redirect, post);
    }

    private static String location(IDPSSODescriptor idp, String binding, String bindingName, boolean allowHttp) {
        return idp.getSingleSignOnServices().stream().filter(service -> binding.equals(service.getBinding()))
                .findFirst()
                .map(service -> IdpUrls.require(service.getLocation(),
                        "metadata: SingleSignOnService Location (" + bindingName
                                + ")",
                        allowHttp).toString())
                .orElse(null);
    }
}
