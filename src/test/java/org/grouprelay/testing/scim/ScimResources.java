package org.grouprelay.testing.scim;

import de.captaingoldfish.scim.sdk.common.resources.Group;
import de.captaingoldfish.scim.sdk.common.resources.User;
import de.captaingoldfish.scim.sdk.common.resources.complex.Meta;
import de.captaingoldfish.scim.sdk.common.resources.multicomplex.Email;
import de.captaingoldfish.scim.sdk.common.resources.multicomplex.Member;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.testing.scim.ScimServer.ScimGroup;
import org.grouprelay.testing.scim.ScimServer.ScimUser;
import org.grouprelay.testing.scim.ScimStore.Stored;

/** Converts between the SCIM library's resources and the store's records. */
final class ScimResources {
    private ScimResources() {
    }

    static ScimUser toRecord(User user) {
        List<String> emails = user.getEmails().stream().map(Email::getValue).flatMap(Optional::stream).toList();
        return new ScimUser(user.getId().orElse(null), user.getUserName().orElse(null),
                user.getExternalId().orElse(null), user.isActive().orElse(true),
                user.getDisplayName().orElse(null), emails);
    }

    static ScimGroup toRecord(Group group) {
        Set<String> members = new LinkedHashSet<>();
        for (Member member : group.getMembers()) {
            members.add(member.getValue().orElse(null));
        }
        return new ScimGroup(group.getId().orElse(null), group.getDisplayName().orElse(null),
                group.getExternalId().orElse(null), members);
    }

    static User userResource(Stored<ScimUser> stored, boolean versioned) {
        ScimUser user = stored.value();
        List<Email> emails = user.emails().stream().map(mail -> Email.builder().value(mail).build()).toList();
        return User.builder()
                .id(user.id())
                .userName(user.userName())
                .externalId(user.externalId())
                .active(user.active())
                .displayName(user.displayName())
                .emails(emails.isEmpty() ? null : emails)
                .meta(meta(stored, "User", versioned))
                .build();
    }

    static Group groupResource(Stored<ScimGroup> stored, boolean versioned) {
        ScimGroup group = stored.value();
        List<Member> members = group.memberIds().stream()
                .map(id -> Member.builder().value(id).type("User").build())
                .toList();
        return Group.builder()
                .id(group.id())
                .displayName(group.displayName())
                .externalId(group.externalId())
                .members(members.isEmpty() ? null : members)
                .meta(meta(stored, "Group", versioned))
                .build();
    }

    /** The meta attribute; {@code version} only where the profile supports ETags (RFC 7644 §3.14). */
    private static Meta meta(Stored<?> stored, String resourceType, boolean versioned) {
        Meta.MetaBuilder meta = Meta.builder()
                .resourceType(resourceType)
                .created(stored.created())
                .lastModified(stored.lastModified());
        if (versioned) {
            meta.version(Long.toString(stored.version()));
        }
        return meta.build();
    }
}
