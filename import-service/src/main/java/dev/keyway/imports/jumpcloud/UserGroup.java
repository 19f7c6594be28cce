package dev.keyway.imports.jumpcloud;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A JumpCloud user group (v2 {@code UserGroup}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserGroup(String id, String name, String description) {
}
