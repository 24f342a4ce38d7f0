/** Directory user → Seafile user id: an ordered chain of strategies, first hit wins. */
package org.grouprelay.mapping;
