package dev.keyway.imports.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.ImportedUserLeft;

/**
 * What changed since the last successful run: users new to the selected groups, users whose record or groups
 * changed, and users who left (removed from every selected group, or deleted in JumpCloud). Nothing else: a run
 * with no change in JumpCloud emits nothing.
 */
public record SnapshotDiff(List<ImportedUser> imported, List<ImportedUser> changed, List<ImportedUserLeft> left,
        int becameInactive) {

    public static final String REMOVED_FROM_GROUPS = "removed-from-groups";
    public static final String DELETED = "deleted";

    public static SnapshotDiff between(Map<String, ImportedUser> previous, Directory current) {
        List<ImportedUser> imported = new ArrayList<>();
        List<ImportedUser> changed = new ArrayList<>();
        List<ImportedUserLeft> left = new ArrayList<>();
        int becameInactive = 0;
        for (ImportedUser user : current.inScope().values()) {
            ImportedUser before = previous.get(user.sourceUserId());
            if (before == null) {
                imported.add(user);
            } else if (!before.equals(user)) {
                changed.add(user);
                if (before.active() && !user.active()) {
                    becameInactive++;
                }
            }
        }
        for (ImportedUser before : previous.values()) {
            if (!current.inScope().containsKey(before.sourceUserId())) {
                left.add(new ImportedUserLeft(before.integrationId(), before.sourceUserId(), before.email(),
                        current.everyone().contains(before.sourceUserId()) ? REMOVED_FROM_GROUPS : DELETED));
            }
        }
        return new SnapshotDiff(imported, changed, left, becameInactive);
    }

    public boolean isEmpty() {
        return imported.isEmpty() && changed.isEmpty() && left.isEmpty();
    }

    public int created() {
        return imported.size();
    }

    public int updated() {
        return changed.size() - becameInactive;
    }

    public int deactivated() {
        return left.size() + becameInactive;
    }
}
