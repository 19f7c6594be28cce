package dev.keyway.imports.jumpcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** A group's members read page by page while the group changes, as JumpCloud's skip paging serves them. */
class MemberCursorTest {

    private static final int PAGE = 100;

    /** What reading the group gave, and at which offsets it asked. */
    private record Reading(List<String> members, List<Integer> skips) {
    }

    /** Reads {@code group} as the client does, applying each change just before the request it is keyed by. */
    private static Reading read(TreeSet<String> group, Map<Integer, Consumer<TreeSet<String>>> changes) {
        return read(group, changes, false);
    }

    /** The same, served in id order or, {@code reversed}, in the opposite one (a sort JumpCloud did not apply). */
    private static Reading read(TreeSet<String> group, Map<Integer, Consumer<TreeSet<String>>> changes,
            boolean reversed) {
        MemberCursor cursor = new MemberCursor(PAGE);
        List<String> members = new ArrayList<>();
        List<Integer> skips = new ArrayList<>();
        do {
            changes.getOrDefault(skips.size(), unchanged -> {
            }).accept(group);
            List<String> sorted = List.copyOf(reversed ? group.descendingSet() : group);
            int skip = cursor.skip();
            skips.add(skip);
            List<GraphObject> page = sorted.subList(Math.min(skip, sorted.size()),
                    Math.min(skip + PAGE, sorted.size())).stream().map(id -> new GraphObject(id, "user")).toList();
            cursor.read(page).forEach(member -> members.add(member.id()));
        } while (!cursor.done() && skips.size() < 50);
        return new Reading(members, skips);
    }

    private static TreeSet<String> members(int count) {
        TreeSet<String> group = new TreeSet<>();
        IntStream.range(0, count).forEach(i -> group.add(String.format("%024x", 1000 + i * 10)));
        return group;
    }

    @Test
    void readsAnUnchangedGroupOnceInOrderEachPageStartingAtTheLastMemberRead() {
        TreeSet<String> group = members(250);
        Reading reading = read(group, Map.of());
        assertEquals(List.copyOf(group), reading.members());
        assertEquals(List.of(0, 99, 198), reading.skips());
    }

    @Test
    void aMemberWhoLeavesFromAPageAlreadyReadDoesNotHideTheNextOne() {
        TreeSet<String> group = members(250);
        String leaves = List.copyOf(group).get(10);
        Reading reading = read(group, Map.of(1, changing -> changing.remove(leaves)));

        List<String> expected = new ArrayList<>(group);
        expected.add(10, leaves);
        assertEquals(expected, reading.members(), "everyone once: the leaver as read before they left");
    }

    @Test
    void severalWhoLeaveBetweenTwoPagesMakeTheCursorBackUpToItsPlace() {
        TreeSet<String> group = members(350);
        List<String> before = List.copyOf(group);
        Reading reading = read(group, Map.of(2, changing -> before.subList(20, 25).forEach(changing::remove)));

        assertEquals(before, reading.members(), "no one missed, no one twice");
        assertTrue(reading.skips().size() > 4, "it backed up: " + reading.skips());
    }

    @Test
    void membersWhoJoinAreNeverReadTwiceNorHideAnyone() {
        TreeSet<String> group = members(250);
        List<String> before = List.copyOf(group);
        Reading reading = read(group, Map.of(1, changing -> IntStream.range(0, 3)
                .forEach(i -> changing.add(String.format("%024x", 1001 + i)))));

        assertEquals(reading.members().size(), new HashSet<>(reading.members()).size(), "no one twice");
        assertTrue(reading.members().containsAll(before), "everyone who was there throughout");
    }

    @Test
    void aGroupServedOutOfIdOrderIsReadWholePagesAfterTheOtherDroppingNoOne() {
        TreeSet<String> group = members(250);
        Reading reading = read(group, Map.of(), true);

        assertEquals(List.copyOf(group.descendingSet()), reading.members());
        assertEquals(List.of(0, 100, 200), reading.skips());
    }
}
