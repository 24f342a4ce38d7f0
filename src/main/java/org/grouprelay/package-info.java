/**
 * grouprelay: {@code Main} (the CLI) and {@code GroupRelay}, which wires directory → capture → relay →
 * targets and the operations side, in one place, from a {@code Config}.
 */
package org.grouprelay;
