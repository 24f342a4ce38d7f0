package org.grouprelay.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Keycloak 26's admin events for groups, as recorded from a live server, and what the follower makes of them. */
class GroupEventTest {
    static final String PARENT = "13c45245-c693-44fc-9d0c-536657cfa045";
    static final String CHILD = "c986d91a-f912-4a45-a6d7-3f7b51a19a1f";

    static AdminEvent event(long time, String operation, String type, String path, String representation) {
        return new AdminEvent("e" + time, time, operation, type, path, representation);
    }

    @Test
    void readsCreateRenameMoveAndDeleteAsKeycloakRecordsThem() {
        assertThat(GroupEvent.of(event(1, "CREATE", "GROUP", "groups/" + PARENT,
                "{\"id\":\"" + PARENT + "\",\"name\":\"devs\",\"subGroups\":[]}")))
                .contains(new GroupEvent.Created(PARENT, "devs", null));
        assertThat(GroupEvent.of(event(2, "CREATE", "GROUP", "groups/" + PARENT + "/children",
                "{\"id\":\"" + CHILD + "\",\"name\":\"backend\",\"subGroups\":[]}")))
                .contains(new GroupEvent.Created(CHILD, "backend", PARENT));
        assertThat(GroupEvent.of(event(3, "UPDATE", "GROUP", "groups/" + PARENT, "{\"name\":\"developers\",\"subGroups\":[]}")))
                .contains(new GroupEvent.Renamed(PARENT, "developers"));
        assertThat(GroupEvent.of(event(4, "UPDATE", "GROUP", "groups", "{\"id\":\"" + CHILD + "\",\"name\":\"backend\",\"subGroups\":[]}")))
                .contains(new GroupEvent.Moved(CHILD, "backend", null));
        assertThat(GroupEvent.of(event(5, "UPDATE", "GROUP", "groups/" + PARENT + "/children",
                "{\"id\":\"" + CHILD + "\",\"name\":\"backend\",\"subGroups\":[]}")))
                .contains(new GroupEvent.Moved(CHILD, "backend", PARENT));
        assertThat(GroupEvent.of(event(6, "DELETE", "GROUP", "groups/" + PARENT, null))).contains(new GroupEvent.Deleted(PARENT));
    }

    @Test
    void readsTheGroupAttributeMembershipExpirationDaysFromAnUpdate() {
        String rep = "{\"id\":\"" + PARENT + "\",\"name\":\"devs\",\"attributes\":{\"membershipExpirationDays\":[\"30\"]}}";
        assertThat(GroupEvent.of(event(1, "UPDATE", "GROUP", "groups/" + PARENT, rep)))
                .contains(new GroupEvent.Renamed(PARENT, "devs", Optional.of(new GroupEvent.Attributes(Optional.of("30")))));
        assertThat(GroupEvent.of(event(2, "UPDATE", "GROUP", "groups/" + PARENT, "{\"name\":\"devs\",\"attributes\":{}}")))
                .contains(new GroupEvent.Renamed(PARENT, "devs", Optional.of(new GroupEvent.Attributes(Optional.empty()))));
        assertThat(GroupEvent.of(event(3, "UPDATE", "GROUP", "groups/" + PARENT, "{\"name\":\"devs\"}")))
                .contains(new GroupEvent.Renamed(PARENT, "devs", Optional.empty()));
    }

    @Test
    void ignoresWhatIsNotAGroupChange() {
        assertThat(GroupEvent.of(event(1, "CREATE", "GROUP_MEMBERSHIP", "users/u1/groups/" + PARENT, "{}"))).isEmpty();
        assertThat(GroupEvent.of(event(2, "CREATE", "GROUP", "groups/" + PARENT + "/role-mappings/realm", "[]"))).isEmpty();
        assertThat(GroupEvent.of(event(3, "UPDATE", "GROUP", "groups/" + PARENT, null))).isEmpty();
        assertThat(GroupEvent.of(event(4, "DELETE", "GROUP", "default-groups/" + PARENT, null))).isEmpty();
        assertThat(GroupEvent.of(event(5, "CREATE", "GROUP", "groups/" + PARENT, "not json"))).isEmpty();
    }

    @Test
    void stateRemembersEventsAtTheLastTimeAndTheSubtreeOfAGroup() {
        KeycloakGroup devs = new KeycloakGroup(PARENT, "devs", null);
        KeycloakGroup backend = new KeycloakGroup(CHILD, "backend", PARENT);
        KeycloakGroup other = new KeycloakGroup("o", "other", null);
        AdminEvent first = event(10, "CREATE", "GROUP", "groups/o", "{}");
        FollowerState state = FollowerState.initial(List.of(devs, backend, other), List.of(first));
        assertThat(state.isApplied(first)).isTrue();
        AdminEvent sameTime = new AdminEvent("other-id", 10, "DELETE", "GROUP", "groups/o", null);
        assertThat(state.isApplied(sameTime)).isFalse();
        FollowerState after = state.after(sameTime, Map.of(PARENT, devs, CHILD, backend));
        assertThat(after.isApplied(first)).isTrue();
        assertThat(after.isApplied(sameTime)).isTrue();
        assertThat(after.isApplied(event(11, "DELETE", "GROUP", "groups/x", null))).isFalse();
        assertThat(state.subtree(PARENT)).containsExactly(devs, backend);
        assertThat(state.subtree("missing")).isEmpty();
        assertThat(Optional.of(after.lastTime())).contains(10L);
    }
}
