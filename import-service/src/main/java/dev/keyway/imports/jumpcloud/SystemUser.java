package dev.keyway.imports.jumpcloud;

import java.util.Arrays;
import java.util.stream.Collectors;

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

    /** The fields above as JumpCloud names them, space-separated: its {@code fields} parameter asks for these alone. */
    public static final String FIELDS = Arrays.stream(SystemUser.class.getRecordComponents())
            // JsonProperty reaches the accessor, not the record component
            .map(field -> field.getAccessor().isAnnotationPresent(JsonProperty.class)
                    ? field.getAccessor().getAnnotation(JsonProperty.class).value()
                    : field.getName())
            .collect(Collectors.joining(" "));

    /** Active iff ACTIVATED and not suspended; STAGED users are not active yet. */
    public boolean active() {
        return "ACTIVATED".equals(state) && !Boolean.TRUE.equals(suspended);
    }
}
