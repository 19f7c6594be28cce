package dev.keyway.scim.protocol;

/** RFC 7644 §8.1: SCIM's own media type; {@code application/json} is accepted as well. */
public final class ScimMediaType {

    public static final String SCIM_JSON = "application/scim+json";

    private ScimMediaType() {
    }
}
