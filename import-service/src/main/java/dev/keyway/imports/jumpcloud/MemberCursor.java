package dev.keyway.imports.jumpcloud;

import java.util.List;

/**
 * Where the paging of one group's members stands. JumpCloud pages with {@code skip}: a member who leaves the group
 * from a page already read moves every later one up a place, so the next page would start one member late, and that
 * member would look removed from the group (and, outside the other selected groups, be deactivated for a run). So each
 * page starts at the last member read (pages overlap by one, ids ascending as {@code sort=id} asks): a page that starts
 * after it means members moved up, and the cursor backs up to find its place again. Members who join move later ones
 * down instead, and are read twice; the second reading is dropped. Not thread-safe: one group's pages are read one
 * after the other.
 * <p>
 * Should a page ever come out of id order, the ids say nothing of where the cursor stands: it then reads the rest a
 * whole page after the other, as plain {@code skip} paging does, dropping nothing.
 */
final class MemberCursor {

    private final int pageSize;
    private int skip;
    private String last;
    private boolean ordered = true;
    private boolean done;

    MemberCursor(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Where the next page starts. */
    int skip() {
        return skip;
    }

    /** Whether the last page has been read. */
    boolean done() {
        return done;
    }

    /** The members of the page read at {@link #skip()} not read before, in order; moves on (or back). */
    List<GraphObject> read(List<GraphObject> page) {
        ordered = ordered && ascending(page);
        if (!ordered) {
            done = page.size() < pageSize;
            skip += pageSize;
            return page;
        }
        if (skip > 0 && (page.isEmpty() || page.get(0).id().compareTo(last) > 0)) {
            // members of pages already read left the group: back up until this page holds the last member read
            skip = Math.max(0, skip - (pageSize - 1));
            return List.of();
        }
        List<GraphObject> unread = last == null ? page
                : page.stream().filter(member -> member.id().compareTo(last) > 0).toList();
        if (!unread.isEmpty()) {
            last = unread.get(unread.size() - 1).id();
        }
        done = page.size() < pageSize;
        skip += pageSize - 1;
        return unread;
    }

    private static boolean ascending(List<GraphObject> page) {
        for (int i = 1; i < page.size(); i++) {
            if (page.get(i - 1).id().compareTo(page.get(i).id()) >= 0) {
                return false;
            }
        }
        return true;
    }
}
