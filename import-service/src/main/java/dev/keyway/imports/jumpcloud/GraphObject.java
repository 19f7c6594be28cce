package dev.keyway.imports.jumpcloud;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One member of a user group's effective membership (v2 {@code GraphObjectWithPaths}); only users matter here. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GraphObject(String id, String type) {
}
