package dev.keyway.common.tenant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A deployment region. Each region has its own PostgreSQL and Kafka; a tenant's personal data stays in its home region. */
public enum Region {

    /** United States: regional hosts start with {@code api-}. */
    API("api"),
    /** European Union: regional hosts start with {@code eu-}. */
    EU("eu");

    private final String code;

    Region(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static Region fromCode(String code) {
        for (Region region : values()) {
            if (region.code.equals(code)) {
                return region;
            }
        }
        throw new IllegalArgumentException("unknown region '" + code + "': expected 'api' or 'eu'");
    }

    @Override
    public String toString() {
        return code;
    }
}
