/**
 * The consistency check: the directory's desired state and Seafile's actual state, each read in one
 * pass, diffed with set operations into a {@link org.grouprelay.reconcile.Plan}, applied on request
 * through the same targets the relay uses.
 */
package org.grouprelay.reconcile;
