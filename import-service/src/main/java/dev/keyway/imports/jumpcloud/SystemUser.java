package dev.keyway.imports.jumpcloud;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A JumpCloud system user (v1 {@code systemuserreturn}), the fields the import maps. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SystemUser(
        @JsonProperty("_id") String id,
        String username,
        String email,
        String firstname,
        String lastname,
        String jobTitle,
        String department,
        String employeeIdentifier,
        String manager,
        String state,
        Boolean suspended) {

    /** Active iff ACTIVATED and not suspended; STAGED users are not active yet. */
    public boolean active() {
        return "ACTIVATED".equals(state) && !Boolean.TRUE.equals(suspended);
    }
}
