package org.grouprelay.relay;

import org.grouprelay.testing.scim.ScimProfile;

/** The SCIM relay against a server in the {@code STRICT} profile. */
class StrictScimRelayIT extends ScimRelayBehaviour {
    @Override
    ScimProfile profile() {
        return ScimProfile.STRICT;
    }
}
