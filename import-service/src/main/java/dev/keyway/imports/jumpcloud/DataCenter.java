package dev.keyway.imports.jumpcloud;

import java.util.Arrays;

import dev.keyway.runtime.problem.ApiException;

/** Where a JumpCloud organization lives: the US console or the EU one. Each has its own API base URL. */
public enum DataCenter {

    US("us"),
    EU("eu");

    /** The codes a request may name, as a Bean Validation pattern (case and surrounding spaces aside). */
    public static final String CODES = "(?i)\\s*(us|eu)\\s*";

    private final String code;

    DataCenter(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static DataCenter fromCode(String code) {
        return Arrays.stream(values()).filter(dc -> dc.code.equalsIgnoreCase(code == null ? "" : code.trim()))
                .findFirst()
                .orElseThrow(() -> ApiException.badRequest("'dataCenter' must be \"us\" or \"eu\"."));
    }
}
