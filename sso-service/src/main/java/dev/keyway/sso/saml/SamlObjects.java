package dev.keyway.sso.saml;

import javax.xml.namespace.QName;

import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.MarshallingException;
import org.w3c.dom.Element;

import net.shibboleth.utilities.java.support.xml.SerializeSupport;

/** Building and serialising OpenSAML objects. */
final class SamlObjects {

    private SamlObjects() {
    }

    @SuppressWarnings("unchecked")
    static <T extends XMLObject> T build(QName name) {
        // OpenSAML is initialised beside the start (SamlStartup): a request that comes first waits for it here
        OpenSaml.initialize();
        return (T) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilderOrThrow(name).buildObject(name);
    }

    static Element marshall(XMLObject object) {
        OpenSaml.initialize();
        try {
            return XMLObjectProviderRegistrySupport.getMarshallerFactory().getMarshaller(object).marshall(object);
        } catch (MarshallingException e) {
            throw new IllegalStateException("could not marshall " + object.getElementQName(), e);
        }
    }

    static String serialize(XMLObject object) {
        return SerializeSupport.nodeToString(marshall(object));
    }
}
