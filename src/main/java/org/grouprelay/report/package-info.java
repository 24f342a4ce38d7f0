/**
 * The consistency check's report: one {@link org.grouprelay.reconcile.CheckRun} rendered as text (terminal
 * and mail), JSON (monitoring) or a standalone HTML page ({@link org.grouprelay.report.Format}), archived under
 * {@code dataDir/reports/} and mailed as text + HTML alternatives.
 *
 * <p>The JSON schema, version 1 (see {@link org.grouprelay.report.JsonReport} for details). Every key is
 * always present; within version 1 keys and finding kinds may be added but never renamed or removed.
 *
 * <pre>
 * version      1
 * checkedAt    ISO-8601 instant (UTC) of the comparison
 * mode         "check" | "dry-run" | "repair"
 * inSync       true when no finding of a drift kind exists
 * summary      the words of the mail subject
 * groups       managed directory groups compared
 * memberships  directory memberships compared
 * counts       {KIND: n} for every kind, zeros included: MEMBER_MISSING, MEMBER_EXTRA, GROUP_MISSING,
 *              GROUP_NOT_LINKED, NAME_DIFFERS, LINK_ORPHANED, MEMBER_PENDING, NOT_MANAGED, OUTBOX_BACKLOG, RELAY_FAILURE,
 *              MEMBERSHIP_EXPIRED
 * findings     [{kind, drift, group, user, detail, action}]   (group/user/detail/action may be null)
 * actions      [{type, group, groupDn, groupUuid, seafileGroupId, users}]
 *              type: ensure-group | rename | add-members | remove-members | delete-group
 * repair       null, or {groupsCreated, groupsRenamed, groupsDeleted, membersAdded, membersRemoved, failures[]}
 * refused      null, or why the repair was refused
 * </pre>
 *
 * <p>Must not know: how the check was computed, the relay, any target.
 */
package org.grouprelay.report;
