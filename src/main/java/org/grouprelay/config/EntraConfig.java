package org.grouprelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.grouprelay.membership.NestedPolicy;

/**
 * A Microsoft Entra ID tenant ({@code kind: entra}): the members of mapped Entra groups follow the directory groups, through
 * Microsoft Graph with an application's client-credentials token.
 *
 * @param groups            directory group (cn) → Entra group (object id); only these are relayed, and the Entra groups must exist
 * @param match             the directory attribute matched to an Entra user's mail, otherMails or userPrincipalName
 * @param invite            unknown users are invited as B2B guests (no invitation e-mail) instead of waiting as pending
 * @param inviteRedirectUrl where an invited guest lands after redeeming
 * @param memberType        invited users are made userType Member
 * @param sendInvitationMessage Entra e-mails the invitation to an invited user (default: no e-mail)
 * @param graphUrl          Graph's base URL (sovereign clouds, tests); calls go to {@code {graphUrl}/v1.0/...}
 * @param authorityUrl      the token authority; tokens come from {@code {authorityUrl}/{tenantId}/oauth2/v2.0/token}
 */
public record EntraConfig(String tenantId, String clientId, Secret clientSecret, List<GroupMapping> groups, String match, boolean invite,
        String inviteRedirectUrl, boolean memberType, boolean sendInvitationMessage, String graphUrl, String authorityUrl, Duration timeout, RelayMode mode, Duration deadline,
        NestedPolicy nested, String placeholderMember, Path auditLog) implements TargetSettings {

    /** One entry of {@code groups}: {@code { directory: staff, entra: 11111111-... }}. */
    public record GroupMapping(String directory, String entra) {
    }

    public EntraConfig {
        groups = List.copyOf(groups);
    }

    @Override
    public String kind() {
        return "entra";
    }
}
