package org.grouprelay.relay;

import org.grouprelay.testing.scim.ScimProfile;

/** The SCIM relay against a server in the {@code AWS} profile. */
class AwsScimRelayIT extends ScimRelayBehaviour {
    @Override
    ScimProfile profile() {
        return ScimProfile.AWS;
    }
}
