package dev.keyway.common.tenant;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The URL name of an organization ({@code /saml/{slug}/acs}): lower-case letters, digits and inner hyphens,
 * 2 to 63 characters, so it is safe in paths, host names and log lines.
 */
public record OrgSlug(String value) {

    private static final Pattern SHAPE = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])");

    public OrgSlug {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "slug must be 2-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit");
        }
    }

    @JsonCreator
    public static OrgSlug of(String value) {
        return new OrgSlug(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
