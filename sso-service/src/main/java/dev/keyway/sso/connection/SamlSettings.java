package dev.keyway.sso.connection;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.runtime.problem.ApiException;
import dev.keyway.sso.saml.SignatureAlgorithms;
import dev.keyway.sso.saml.SignaturePolicy;

/**
 * How sign-in behaves for one organization. Stored as JSON; absent fields take the defaults in {@link #DEFAULTS}.
 *
 * @param allowIdpInitiated      accept unsolicited responses (JumpCloud's portal needs it)
 * @param clockSkewSeconds       tolerance on NotBefore / NotOnOrAfter, 0 to 600
 * @param signaturePolicy        which signature must cover the assertion
 * @param signatureAlgorithms    allowed: RSA-SHA256, RSA-SHA512, and RSA-SHA1 only if listed
 * @param emailAttribute         attribute holding the e-mail; the NameID when the assertion lacks it
 * @param firstNameAttributes    attributes holding the given name (matched ignoring case)
 * @param lastNameAttributes     attributes holding the family name
 * @param groupsAttribute        attribute listing the user's IdP groups (e.g. memberOf), or null
 * @param defaultLandingUrl      where users land when no RelayState or returnTo says otherwise
 * @param allowedRelayStateHosts hosts a RelayState / returnTo may send users to (relative paths always may)
 * @param jitProvisioning        sign in users the directory does not know (off: SCIM provisions them)
 * @param passwordLoginAllowed   whether the SaaS's login page still offers passwords for this organization
 * @param emailDomains           deprecated, always empty: e-mail domains are claimed at /admin/orgs/{slug}/domains,
 *                               where a DNS TXT record proves them before they count
 */
public record SamlSettings(
        boolean allowIdpInitiated,
        @Min(value = 0, message = "between 0 and 600") @Max(value = 600,
                message = "between 0 and 600") int clockSkewSeconds,
        @NotNull(message = "one of EITHER, ASSERTION, RESPONSE, BOTH") SignaturePolicy signaturePolicy,
        @NotEmpty(
                message = "a non-empty list of " + ALGORITHMS) List<@NotNull(message = "one of " + ALGORITHMS) @Pattern(
                        regexp = SignatureAlgorithms.RSA_SHA256 + "|"
                                + SignatureAlgorithms.RSA_SHA512 + "|" + SignatureAlgorithms.RSA_SHA1,
                        message = "one of " + ALGORITHMS) String> signatureAlgorithms,
        String emailAttribute,
        @NotNull(message = A_LIST) List<String> firstNameAttributes,
        @NotNull(message = A_LIST) List<String> lastNameAttributes,
        String groupsAttribute,
        @LandingUrl String defaultLandingUrl,
        @NotNull(
                message = A_LIST) List<@NotNull(message = "not a host name") @Pattern(regexp = "[A-Za-z0-9.-]+(:\\d+)?",
                        message = "not a host name") String> allowedRelayStateHosts,
        boolean jitProvisioning,
        boolean passwordLoginAllowed,
        @NotNull(message = A_LIST) List<String> emailDomains) {

    private static final String ALGORITHMS = SignatureAlgorithms.RSA_SHA256 + ", " + SignatureAlgorithms.RSA_SHA512
            + ", " + SignatureAlgorithms.RSA_SHA1;
    private static final String A_LIST = "a list, possibly empty";

    public static final SamlSettings DEFAULTS = new SamlSettings(true, 180, SignaturePolicy.EITHER,
            List.of(SignatureAlgorithms.RSA_SHA256, SignatureAlgorithms.RSA_SHA512), "email",
            List.of("firstname", "firstName", "givenName"), List.of("lastname", "lastName", "surname"), null, null,
            List.of(), false, true, List.of());

    /**
     * Defaults, overlaid with what is stored, overlaid with a patch; validated.
     *
     * @param json the application's mapper; this read is stricter than its default (unknown settings are refused)
     */
    public static SamlSettings merge(ObjectMapper json, JsonNode stored, JsonNode patch) {
        ObjectNode merged = json.valueToTree(DEFAULTS);
        if (stored != null && stored.isObject()) {
            merged.setAll((ObjectNode) stored);
        }
        if (patch != null) {
            if (!patch.isObject()) {
                throw ApiException.badRequest("settings: send a JSON object of the settings to change.");
            }
            JsonNode domains = patch.get("emailDomains");
            if (domains != null && !(domains.isArray() && domains.isEmpty())) {
                throw ApiException.badRequest("emailDomains: claim e-mail domains at /admin/orgs/{slug}/domains, "
                        + "where a DNS TXT record proves them before they count.");
            }
            merged.setAll((ObjectNode) patch);
        }
        SamlSettings settings;
        try {
            settings = json.readerFor(SamlSettings.class)
                    .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                            DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                    .readValue(merged);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("settings: unknown setting '" + e.getPropertyName() + "'.");
        } catch (Exception e) {
            throw ApiException.badRequest("settings: a value has the wrong type.");
        }
        return settings.validated();
    }

    public JsonNode toJson(ObjectMapper json) {
        return json.valueToTree(this);
    }

    /** Checked by the constraints on the components: a 400 naming every wrong setting. */
    private SamlSettings validated() {
        // a static merge has no injection point; the container's validator knows the constraints Quarkus indexed
        Set<ConstraintViolation<SamlSettings>> violations = CDI.current().select(Validator.class).get().validate(this);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return new SamlSettings(allowIdpInitiated, clockSkewSeconds, signaturePolicy, List.copyOf(signatureAlgorithms),
                blankToNull(emailAttribute), List.copyOf(firstNameAttributes), List.copyOf(lastNameAttributes),
                blankToNull(groupsAttribute), blankToNull(defaultLandingUrl), allowedRelayStateHosts.stream()
                        .map(host -> host.toLowerCase(Locale.ROOT)).toList(),
                jitProvisioning, passwordLoginAllowed,
                emailDomains.stream().map(domain -> domain.toLowerCase(Locale.ROOT).strip()).toList());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
