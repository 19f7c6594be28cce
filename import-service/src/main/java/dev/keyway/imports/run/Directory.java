package dev.keyway.imports.run;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.keyway.common.event.ImportedUser;

/**
 * What one pull saw in JumpCloud.
 *
 * @param inScope    the users of the selected groups, by JumpCloud id, as the import maps them
 * @param everyone   the ids of all users the directory listed, to tell a deleted user from one who left the groups
 * @param groupsRead how many JumpCloud groups were read
 * @param skipped    users that could not be imported, and why
 */
public record Directory(Map<String, ImportedUser> inScope, Set<String> everyone, int groupsRead, List<String> skipped) {
}
