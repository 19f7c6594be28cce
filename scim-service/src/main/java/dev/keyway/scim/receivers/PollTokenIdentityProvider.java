package dev.keyway.scim.receivers;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** A poll token names one poll receiver: the caller gets {@link #ROLE} and the receiver as {@link #RECEIVER}. */
@ApplicationScoped
public class PollTokenIdentityProvider implements IdentityProvider<PollTokenRequest> {

    public static final String ROLE = "event-receiver";
    public static final String RECEIVER = "keyway.event-receiver";

    private final ReceiverRepository receivers;

    public PollTokenIdentityProvider(ReceiverRepository receivers) {
        this.receivers = receivers;
    }

    @Override
    public Class<PollTokenRequest> getRequestType() {
        return PollTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(PollTokenRequest request, AuthenticationRequestContext context) {
        byte[] hash = ReceiverService.hash(request.token());
        return receivers.byPollToken(hash).map(receiver -> {
            if (receiver == null) {
                throw new AuthenticationFailedException("The token is not a receiver's poll token.");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("event-receiver:" + receiver.name()))
                    .addRole(ROLE)
                    .addAttribute(RECEIVER, receiver)
                    .build();
        });
    }
}
