/**
 * The consistency check: the directory's desired state and the target's actual state, each read in one
 * pass, diffed with set operations into a {@link org.grouprelay.reconcile.Plan}, applied on request (with
 * a removal guard) through the same targets the relay uses; the nightly schedule inside {@code serve}.
 *
 * <p>Must not know: the interceptor, the outbox's file format (it asks the relay's reader), report rendering.
 */
package org.grouprelay.reconcile;
