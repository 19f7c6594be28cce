package dev.keyway.imports.integration;

/**
 * One JumpCloud user group an integration imports, and the Keyway group its members land in (created in the user
 * store, if it does not exist, when the integration is).
 */
public record GroupMapping(String jumpcloudGroupId, String jumpcloudGroupName, String targetGroup) {
}
