package dev.keyway.scim.setevents;

import java.util.List;

/** The RFC 9967 event type URIs Keyway emits (full events: the resource, or the PATCH applied, travels as data). */
public final class ScimEventUris {

    public static final String CREATE_FULL = "urn:ietf:params:scim:event:prov:create:full";
    public static final String PUT_FULL = "urn:ietf:params:scim:event:prov:put:full";
    public static final String PATCH_FULL = "urn:ietf:params:scim:event:prov:patch:full";
    public static final String DELETE = "urn:ietf:params:scim:event:prov:delete";
    public static final String ACTIVATE = "urn:ietf:params:scim:event:prov:activate";
    public static final String DEACTIVATE = "urn:ietf:params:scim:event:prov:deactivate";

    /** Every type Keyway emits, as ServiceProviderConfig announces them. */
    public static final List<String> EMITTED = List.of(CREATE_FULL, PUT_FULL, PATCH_FULL, DELETE, ACTIVATE,
            DEACTIVATE);

    private ScimEventUris() {
    }
}
