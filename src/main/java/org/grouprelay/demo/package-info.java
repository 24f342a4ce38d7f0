/** Demo infrastructure: an embedded MariaDB holding Seafile's databases, so the relay has a real target. */
package org.grouprelay.demo;
