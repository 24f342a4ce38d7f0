/** Where changes go: the {@link org.grouprelay.target.Target} SPI and its Seafile implementations. */
package org.grouprelay.target;
