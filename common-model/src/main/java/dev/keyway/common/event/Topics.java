package dev.keyway.common.event;

/** Kafka topic names. Channel wiring lives in each service's application.properties. */
public final class Topics {

    /** The organization registry; the only topic mirrored between regions (it carries no personal data). */
    public static final String ORGS = "keyway.orgs.v1";

    /** Full state of users, groups and departments from the user store (scim-service). */
    public static final String DIRECTORY = "keyway.directory.v1";

    /** What the import service saw in a customer's JumpCloud directory. */
    public static final String IMPORTS = "keyway.imports.v1";

    private Topics() {
    }
}
