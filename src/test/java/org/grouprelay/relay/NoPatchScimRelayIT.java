package org.grouprelay.relay;

import org.grouprelay.testing.scim.ScimProfile;

/** The SCIM relay against a server in the {@code NO_PATCH} profile. */
class NoPatchScimRelayIT extends ScimRelayBehaviour {
    @Override
    ScimProfile profile() {
        return ScimProfile.NO_PATCH;
    }
}
