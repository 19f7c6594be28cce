package dev.keyway.sso.saml;

import java.io.ByteArrayInputStream;
import java.util.Map;
import javax.xml.XMLConstants;

import org.opensaml.core.config.ConfigurationService;
import org.opensaml.core.config.InitializationException;
import org.opensaml.core.config.InitializationService;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.UnmarshallingException;
import org.opensaml.xmlsec.config.DecryptionParserPool;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import net.shibboleth.utilities.java.support.component.ComponentInitializationException;
import net.shibboleth.utilities.java.support.xml.BasicParserPool;
import net.shibboleth.utilities.java.support.xml.XMLParserException;

/**
 * OpenSAML, initialised once, and the one XML parser every SAML document goes through (decrypted assertions too):
 * namespace aware, no DTDs (so no external entities and no entity expansion), no XInclude, secure processing on,
 * elements nested at most {@link #MAX_DEPTH} deep. Parser factories are pooled, never built per request.
 */
public final class OpenSaml {

    /**
     * Deepest element nesting parsed. A real response nests about ten deep (EncryptedAssertion → EncryptedData →
     * KeyInfo → EncryptedKey → …); tens of thousands of nested elements fit under the size limit and would overflow
     * the stack of every recursive reader after the parser (unmarshalling, canonicalisation).
     */
    public static final int MAX_DEPTH = 64;

    private static final BasicParserPool PARSERS = parsers();

    private OpenSaml() {
    }

    private static BasicParserPool parsers() {
        try {
            InitializationService.initialize();
        } catch (InitializationException e) {
            throw new IllegalStateException("OpenSAML did not initialise", e);
        }
        BasicParserPool pool = new BasicParserPool();
        pool.setMaxPoolSize(64);
        pool.setNamespaceAware(true);
        pool.setExpandEntityReferences(false);
        pool.setXincludeAware(false);
        // OpenSAML refuses comment nodes; dropping them leaves a value split in text nodes, which we read whole
        pool.setIgnoreComments(true);
        pool.setBuilderFeatures(Map.of(
                // the whole tree is read anyway: deferring its nodes cost twice the allocation of building them
                "http://apache.org/xml/features/dom/defer-node-expansion", false,
                "http://apache.org/xml/features/disallow-doctype-decl", true,
                "http://xml.org/sax/features/external-general-entities", false,
                "http://xml.org/sax/features/external-parameter-entities", false,
                "http://apache.org/xml/features/nonvalidating/load-external-dtd", false,
                XMLConstants.FEATURE_SECURE_PROCESSING, true));
        // the JDK parser's own limit (jdk.xml.maxElementDepth): refused while parsing, before any DOM exists
        pool.setBuilderAttributes(Map.of("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", MAX_DEPTH));
        try {
            pool.initialize();
        } catch (ComponentInitializationException e) {
            throw new IllegalStateException("XML parser pool did not initialise", e);
        }
        // what an EncryptedAssertion decrypts to is parsed by the same rules (an attacker can encrypt to our SP key)
        ConfigurationService.register(DecryptionParserPool.class, new DecryptionParserPool(pool));
        return pool;
    }

    /** Starts OpenSAML (idempotent); called at start-up so the first login does not pay for it. */
    public static void initialize() {
        PARSERS.getClass();
    }

    public static Document parse(byte[] xml) throws XMLParserException {
        return PARSERS.parse(new ByteArrayInputStream(xml));
    }

    public static Document newDocument() throws XMLParserException {
        return PARSERS.newDocument();
    }

    public static XMLObject unmarshall(Element element) throws UnmarshallingException {
        var unmarshaller = XMLObjectProviderRegistrySupport.getUnmarshallerFactory().getUnmarshaller(element);
        if (unmarshaller == null) {
            throw new UnmarshallingException("no SAML type for element " + element.getLocalName());
        }
        return unmarshaller.unmarshall(element);
    }
}
