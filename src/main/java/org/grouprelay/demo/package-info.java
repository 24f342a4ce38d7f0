/**
 * {@code serve --demo}: an embedded MariaDB holding Seafile's databases and accounts, so the relay has a
 * real target in one command. Fault injection for tests lives in test code, not here.
 *
 * <p>Must not know: the relay or the directory.
 */
package org.grouprelay.demo;
