package dev.keyway.scim.protocol.schema;

import static dev.keyway.scim.protocol.schema.Attribute.binary;
import static dev.keyway.scim.protocol.schema.Attribute.bool;
import static dev.keyway.scim.protocol.schema.Attribute.complex;
import static dev.keyway.scim.protocol.schema.Attribute.dateTime;
import static dev.keyway.scim.protocol.schema.Attribute.multiValued;
import static dev.keyway.scim.protocol.schema.Attribute.reference;
import static dev.keyway.scim.protocol.schema.Attribute.string;

import java.util.List;

import dev.keyway.scim.protocol.schema.Attribute.Returned;
import dev.keyway.scim.protocol.schema.Attribute.Type;

/** The schemas this server implements: core User (RFC 7643 §4.1), Enterprise User (§4.3) and Group (§4.2). */
public final class ScimSchemas {

    public static final String USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public static final String GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";

    public static final Attribute EXTERNAL_ID = string("externalId").caseExact()
            .describe("An identifier for the resource as defined by the provisioning client.").build();

    /** Attributes every resource has (RFC 7643 §3.1); not part of any schema's attribute list. */
    public static final List<Attribute> COMMON = List.of(
            string("id").caseExact().readOnly().returned(Returned.ALWAYS).unique()
                    .describe("Unique identifier for the resource, assigned by the service provider.").build(),
            EXTERNAL_ID,
            complex("meta",
                    string("resourceType").caseExact().readOnly(),
                    dateTime("created").readOnly(),
                    dateTime("lastModified").readOnly(),
                    reference("location", "uri").caseExact().readOnly(),
                    string("version").caseExact().readOnly())
                    .readOnly().describe("Resource metadata.").build());

    public static final Schema USER = new Schema(USER_URN, "User", "User Account", List.of(
            string("userName").required().unique()
                    .describe("Unique identifier for the User, typically used to sign in; unique per organization, "
                            + "case-insensitive.")
                    .build(),
            complex("name",
                    string("formatted").describe("The full name, formatted for display."),
                    string("familyName").describe("The family name (last name)."),
                    string("givenName").describe("The given name (first name)."),
                    string("middleName").describe("The middle name(s)."),
                    string("honorificPrefix").describe("The honorific prefix(es), e.g. 'Ms.'."),
                    string("honorificSuffix").describe("The honorific suffix(es), e.g. 'III'."))
                    .describe("The components of the user's real name.").build(),
            string("displayName").describe("The name of the User, suitable for display.").build(),
            string("nickName").describe("The casual way to address the user.").build(),
            reference("profileUrl", "external").describe("A URI of the user's online profile.").build(),
            string("title").describe("The user's title, such as 'Vice President'.").build(),
            string("userType").describe("The relationship between the organization and the user.").build(),
            string("preferredLanguage").describe("The user's preferred written or spoken language.").build(),
            string("locale").describe("The user's default location for localization.").build(),
            string("timezone").describe("The user's time zone in IANA format.").build(),
            bool("active").describe("The user's administrative status; false deactivates (ends sessions).").build(),
            string("password").writeOnly().returned(Returned.NEVER)
                    .describe("Accepted for compatibility and discarded: Keyway users sign in through their IdP.")
                    .build(),
            multiValued("emails", Type.STRING, "Email addresses for the user.", "work", "home", "other").build(),
            multiValued("phoneNumbers", Type.STRING, "Phone numbers for the user.",
                    "work", "home", "mobile", "fax", "pager", "other").build(),
            multiValued("ims", Type.STRING, "Instant messaging addresses for the user.").build(),
            multiValued("photos", Type.REFERENCE, "URLs of photos of the user.", "photo", "thumbnail").build(),
            complex("addresses",
                    string("formatted"), string("streetAddress"), string("locality"), string("region"),
                    string("postalCode"), string("country"),
                    string("type").canonical("work", "home", "other"), bool("primary"))
                    .multiValued().describe("A physical mailing address for this user.").build(),
            complex("groups",
                    string("value").readOnly(), reference("$ref", "User", "Group").readOnly(),
                    string("display").readOnly(), string("type").canonical("direct", "indirect").readOnly())
                    .multiValued().readOnly().describe("The groups the user belongs to; managed through Groups.")
                    .build(),
            multiValued("entitlements", Type.STRING, "Entitlements of the user.").build(),
            multiValued("roles", Type.STRING, "Roles of the user.").build(),
            complex("x509Certificates", binary("value"), string("display"), string("type"), bool("primary"))
                    .multiValued().describe("X.509 certificates issued to the user.").build()));

    public static final Schema ENTERPRISE_USER = new Schema(ENTERPRISE_USER_URN, "EnterpriseUser",
            "Enterprise User", List.of(
                    string("employeeNumber").describe("A string identifier of the user within the organization.")
                            .build(),
                    string("costCenter").describe("The name of a cost center.").build(),
                    string("organization").describe("The name of an organization.").build(),
                    string("division").describe("The name of a division.").build(),
                    string("department").describe("The name of a department; departments merge by name, and a "
                            + "disabled department receives no user sync.").build(),
                    complex("manager",
                            string("value").describe("The id of the SCIM resource representing the manager."),
                            reference("$ref", "User").describe("The URI of the manager's resource."),
                            string("displayName").readOnly().describe("The manager's display name."))
                            .describe("The user's manager.").build()));

    public static final Schema GROUP = new Schema(GROUP_URN, "Group", "Group", List.of(
            string("displayName").required().unique()
                    .describe("A human-readable name for the group; unique per organization, case-insensitive.")
                    .build(),
            complex("members",
                    string("value").immutable().describe("The id of a User that is a member."),
                    reference("$ref", "User", "Group").immutable().describe("The URI of the member's resource."),
                    string("display").readOnly().describe("The member's display name."),
                    string("type").immutable().canonical("User").describe("The member's resource type."))
                    .multiValued().describe("The members of the group (users only).").build()));

    public static final ResourceType USERS = new ResourceType("User", "/Users", "User Account", USER,
            List.of(ENTERPRISE_USER));

    public static final ResourceType GROUPS = new ResourceType("Group", "/Groups", "Group", GROUP, List.of());

    private ScimSchemas() {
    }
}
