/** Where changes go: the {@link org.grouprelay.targets.Target} SPI and its Seafile implementations. */
package org.grouprelay.targets;
