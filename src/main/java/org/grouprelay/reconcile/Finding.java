package org.grouprelay.reconcile;

/**
 * One difference between the directory and Seafile, or one thing an operator should know.
 *
 * @param group   the directory group's name (or the Seafile group's, for orphans); null for global findings
 * @param user    the user concerned (directory DN or Seafile id), if any
 * @param detail  what exactly differs, in words
 * @param action  what repair would do, or what the operator should do
 */
public record Finding(Kind kind, String group, String user, String detail, String action) {

    /** The kinds of findings; {@link #drift()} says whether it makes Seafile differ from the directory. */
    public enum Kind {
        MEMBER_MISSING("member missing in Seafile", true),
        MEMBER_EXTRA("extra member in Seafile", true),
        GROUP_MISSING("Seafile group missing (link points nowhere)", true),
        GROUP_NOT_LINKED("directory group not linked to a Seafile group", true),
        NAME_DIFFERS("name differs (rename missed)", true),
        LINK_ORPHANED("link to a directory group that no longer exists", true),
        MEMBER_PENDING("member pending (no Seafile account yet)", false),
        NOT_MANAGED("account of no directory user (not managed, never touched)", false),
        OUTBOX_BACKLOG("changes waiting in the outbox", false),
        RELAY_FAILURE("permanent relay failure since the last check", false),
        MEMBERSHIP_EXPIRED("membership over but still in the directory (grouprelayMemberExpiry passed)", true);

        private final String title;
        private final boolean drift;

        Kind(String title, boolean drift) {
            this.title = title;
            this.drift = drift;
        }

        public String title() {
            return title;
        }

        public boolean drift() {
            return drift;
        }
    }
}
