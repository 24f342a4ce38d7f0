package org.grouprelay.testing.scim;

/**
 * How the test SCIM server behaves: what its /ServiceProviderConfig announces and which request
 * shapes it refuses or reports as violations (see {@link ScimServer#violations()}).
 */
public enum ScimProfile {
    /**
     * A strict RFC 7644 server: PATCH, bulk (maxOperations 1000), filter (maxResults 200) and
     * ETags supported. A PATCH {@code remove} on {@code members} without a filter removes every
     * member, as RFC 7644 §3.5.2.2 says, and is recorded as a violation.
     */
    STRICT(true, true, true, true, 0, false),
    /** RFC 7644 §3.5.2: a server may not support PATCH; groups are replaced with PUT. */
    NO_PATCH(false, true, true, true, 0, false),
    /**
     * AWS IAM Identity Center as reported in authentik issues: at most 100 member values in one
     * PATCH (#20410, #25330), GET of a group returns no members (#23005), 409 when the object exists
     * (#12827); no ETags, no bulk; a PATCH that succeeds answers 204 without a body, as AWS's
     * PatchGroup does (RFC 7644 §3.5.2 allows either).
     */
    AWS(true, false, false, false, 100, true);

    private final boolean patch;
    private final boolean bulk;
    private final boolean etag;
    private final boolean membersOnGet;
    private final int maxMembersPerPatch;
    private final boolean patchAnswersNoContent;

    ScimProfile(boolean patch, boolean bulk, boolean etag, boolean membersOnGet, int maxMembersPerPatch,
            boolean patchAnswersNoContent) {
        this.patch = patch;
        this.bulk = bulk;
        this.etag = etag;
        this.membersOnGet = membersOnGet;
        this.maxMembersPerPatch = maxMembersPerPatch;
        this.patchAnswersNoContent = patchAnswersNoContent;
    }

    public boolean patch() {
        return patch;
    }

    public boolean bulk() {
        return bulk;
    }

    public boolean etag() {
        return etag;
    }

    /** Whether GET /Groups and GET /Groups/{id} include {@code members}. */
    public boolean membersOnGet() {
        return membersOnGet;
    }

    /** The most member values one PATCH may carry; 0 for no limit. */
    public int maxMembersPerPatch() {
        return maxMembersPerPatch;
    }

    /** Whether a successful PATCH answers 204 No Content instead of 200 with the resource. */
    public boolean patchAnswersNoContent() {
        return patchAnswersNoContent;
    }
}
