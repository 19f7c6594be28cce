package dev.keyway.scim.receivers;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.scim.setevents.SetSigner;
import io.smallrye.mutiny.Uni;

/**
 * A logged event as the signed SET one receiver gets: the RFC 8417 claims ({@code iss} this service's base URL,
 * {@code aud} the receiver's audience, {@code iat} when the change happened, {@code jti}, {@code txn}), the RFC 9967
 * {@code sub_id} and {@code events}, and Keyway's {@code org_id} and per-resource {@code sequence}.
 */
@ApplicationScoped
public class SetTokens {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final SetSigner signer;
    private final ObjectMapper json;
    private final Deployment deployment;

    public SetTokens(SetSigner signer, ObjectMapper json, Deployment deployment) {
        this.signer = signer;
        this.json = json;
        this.deployment = deployment;
    }

    public Uni<String> token(ReceiverRepository.Pending event, String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", deployment.ownUrl());
        claims.put("iat", event.occurredAt().getEpochSecond());
        claims.put("jti", event.jti().toString());
        claims.put("aud", audience);
        claims.put("txn", event.txn());
        try {
            claims.putAll(json.readValue(event.payload(), MAP));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("logged event is not readable", e));
        }
        claims.put("org_id", event.orgId().toString());
        claims.put("sequence", event.sequence());
        return signer.sign(claims);
    }
}
