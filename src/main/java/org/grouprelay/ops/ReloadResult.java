package org.grouprelay.ops;

/**
 * {@code serve}'s answer to one {@code grouprelay reload}, written as {@code dataDir/reload/<id>.result}: whether the
 * configuration file loaded and was applied, the one line saying what was applied or why the file was refused (the
 * running settings then stay), the file {@code serve} read, which process answered and when.
 */
public record ReloadResult(boolean reloaded, String message, String configFile, long pid, String time) {
}
