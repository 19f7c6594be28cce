package dev.keyway.imports.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.ImportedUser;
import dev.keyway.imports.integration.GroupMapping;
import dev.keyway.imports.jumpcloud.JumpCloudClient;
import dev.keyway.imports.jumpcloud.JumpCloudCredentials;
import dev.keyway.imports.jumpcloud.SystemUser;

/** Reads what an integration imports from JumpCloud: the members of its groups, then every user's record. */
@ApplicationScoped
public class DirectoryPull {

    private final JumpCloudClient jumpcloud;

    public DirectoryPull(JumpCloudClient jumpcloud) {
        this.jumpcloud = jumpcloud;
    }

    /** Blocking; a failure half-way throws, and nothing of the run is kept. */
    public Directory read(UUID integrationId, JumpCloudCredentials credentials, List<GroupMapping> groups) {
        Map<String, SortedSet<String>> targetsOf = new HashMap<>();
        for (GroupMapping group : groups) {
            for (String member : jumpcloud.memberIds(credentials, group.jumpcloudGroupId())) {
                targetsOf.computeIfAbsent(member, id -> new TreeSet<>()).add(group.targetGroup());
            }
        }
        Map<String, ImportedUser> inScope = new HashMap<>();
        Set<String> everyone = new HashSet<>();
        List<String> skipped = new ArrayList<>();
        jumpcloud.eachUser(credentials, user -> {
            everyone.add(user.id());
            SortedSet<String> targets = targetsOf.get(user.id());
            if (targets == null) {
                return;
            }
            ImportedUser imported = map(integrationId, user, List.copyOf(targets));
            if (imported == null) {
                skipped.add("JumpCloud user " + user.id() + " has neither an e-mail address nor a username; skipped.");
            } else {
                inScope.put(user.id(), imported);
            }
        });
        return new Directory(inScope, everyone, groups.size(), skipped);
    }

    /**
     * JumpCloud's user as Keyway's: the userName is the e-mail address (as JumpCloud's SCIM client sends it, so an
     * imported user and a provisioned one meet), the JumpCloud username where there is none.
     */
    static ImportedUser map(UUID integrationId, SystemUser user, List<String> targetGroups) {
        String email = blankToNull(user.email());
        String userName = email != null ? email : blankToNull(user.username());
        if (userName == null) {
            return null;
        }
        return new ImportedUser(integrationId, user.id(), userName, email, blankToNull(user.firstname()),
                blankToNull(user.lastname()), blankToNull(user.jobTitle()), blankToNull(user.department()),
                blankToNull(user.employeeIdentifier()), blankToNull(user.manager()), user.active(), targetGroups);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
