package dev.keyway.imports.run;

/**
 * What a run found, counted: users in the selected groups, users new to them, users whose record or groups changed,
 * and users who left (removed from every selected group, or deleted in JumpCloud). A run with no change in JumpCloud
 * has nothing to emit.
 *
 * @param seen           the users of the selected groups this run imported
 * @param becameInactive the changed users who were active and are not any more (suspended, deactivated)
 * @param unlisted       members of the selected groups whom no page of users listed (the directory changed while it
 *                       was read); they keep their last imported state
 */
public record DiffCounts(int seen, int created, int changed, int left, int becameInactive, int unlisted) {

    public static final String REMOVED_FROM_GROUPS = "removed-from-groups";
    public static final String DELETED = "deleted";

    public boolean isEmpty() {
        return created == 0 && changed == 0 && left == 0;
    }

    public int updated() {
        return changed - becameInactive;
    }

    public int deactivated() {
        return left + becameInactive;
    }
}
