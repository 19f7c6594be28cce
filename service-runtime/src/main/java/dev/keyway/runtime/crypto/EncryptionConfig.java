package dev.keyway.runtime.crypto;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Keys that seal secrets at rest (SP private keys, JWT signing keys, JumpCloud API keys). */
@ConfigMapping(prefix = "keyway.encryption")
public interface EncryptionConfig {

    /**
     * Comma-separated {@code id:base64} AES-256 keys (32 random bytes each), e.g. from a Kubernetes secret. The first
     * seals new secrets; all of them open existing ones, so a key is rotated by putting a new one first and retiring
     * the old one once nothing sealed with it remains. No default: a service that seals secrets refuses to guess.
     */
    Optional<List<String>> keys();
}
