/** Orchestration: applies captured changes to the target, maps users, and writes the audit trail. */
package org.grouprelay.relay;
