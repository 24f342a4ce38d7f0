/**
 * The ApacheDS interceptor: pure translation of directory writes into {@code change} records, plus
 * referential integrity of member values. Knows nothing of Seafile.
 */
package org.grouprelay.capture;
