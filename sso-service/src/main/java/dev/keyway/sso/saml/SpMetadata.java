package dev.keyway.sso.saml;

import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.metadata.AssertionConsumerService;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.saml.saml2.metadata.NameIDFormat;
import org.opensaml.saml.saml2.metadata.SPSSODescriptor;
import org.opensaml.security.credential.UsageType;
import org.opensaml.xmlsec.signature.KeyInfo;
import org.opensaml.xmlsec.signature.X509Certificate;
import org.opensaml.xmlsec.signature.X509Data;

import dev.keyway.sso.connection.Certificates;
import dev.keyway.sso.connection.SamlConnection;
import dev.keyway.sso.connection.SpEndpoints;

/**
 * Our SP metadata for one organization: entity id, the ACS (HTTP-POST), the NameID formats we read, the newest SP
 * signing certificate (use="signing", for our AuthnRequests) and the newest encryption certificate (use="encryption",
 * for assertions encrypted to us); a key made before keys had a use appears under both. JumpCloud can import it
 * directly. Public: it reads certificates only, never opens a private key.
 */
public final class SpMetadata {

    private static final String[] NAME_ID_FORMATS = {
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" };

    private SpMetadata() {
    }

    public static String render(SamlConnection connection, SpEndpoints endpoints) {
        EntityDescriptor entity = SamlObjects.build(EntityDescriptor.DEFAULT_ELEMENT_NAME);
        entity.setEntityID(endpoints.entityId(connection.slug()));
        SPSSODescriptor sp = SamlObjects.build(SPSSODescriptor.DEFAULT_ELEMENT_NAME);
        sp.addSupportedProtocol(SAMLConstants.SAML20P_NS);
        sp.setWantAssertionsSigned(true);
        sp.setAuthnRequestsSigned(connection.signingKey().isPresent());
        connection.signingKey().ifPresent(key -> sp.getKeyDescriptors()
                .add(keyDescriptor(UsageType.SIGNING, key.certificate())));
        connection.encryptionKey().ifPresent(key -> sp.getKeyDescriptors()
                .add(keyDescriptor(UsageType.ENCRYPTION, key.certificate())));
        for (String format : NAME_ID_FORMATS) {
            NameIDFormat nameIdFormat = SamlObjects.build(NameIDFormat.DEFAULT_ELEMENT_NAME);
            nameIdFormat.setURI(format);
            sp.getNameIDFormats().add(nameIdFormat);
        }
        AssertionConsumerService acs = SamlObjects.build(AssertionConsumerService.DEFAULT_ELEMENT_NAME);
        acs.setBinding(SAMLConstants.SAML2_POST_BINDING_URI);
        acs.setLocation(endpoints.acs(connection.slug()));
        acs.setIndex(0);
        acs.setIsDefault(true);
        sp.getAssertionConsumerServices().add(acs);
        entity.getRoleDescriptors().add(sp);
        return SamlObjects.serialize(entity);
    }

    private static KeyDescriptor keyDescriptor(UsageType use, java.security.cert.X509Certificate certificate) {
        KeyDescriptor descriptor = SamlObjects.build(KeyDescriptor.DEFAULT_ELEMENT_NAME);
        descriptor.setUse(use);
        KeyInfo keyInfo = SamlObjects.build(KeyInfo.DEFAULT_ELEMENT_NAME);
        X509Data data = SamlObjects.build(X509Data.DEFAULT_ELEMENT_NAME);
        X509Certificate value = SamlObjects.build(X509Certificate.DEFAULT_ELEMENT_NAME);
        value.setValue(Certificates.base64(certificate));
        data.getX509Certificates().add(value);
        keyInfo.getX509Datas().add(data);
        descriptor.setKeyInfo(keyInfo);
        return descriptor;
    }
}
