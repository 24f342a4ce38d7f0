/** grouprelay: {@code Main} (the CLI) and {@code GroupRelay}, which wires directory → capture → relay → targets. */
package org.grouprelay;
