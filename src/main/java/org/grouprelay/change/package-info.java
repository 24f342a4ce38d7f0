/** The domain: what happened to a managed group, as records. Knows nothing of LDAP wire details or Seafile. */
package org.grouprelay.change;
