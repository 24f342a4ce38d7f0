/** YAML configuration bound to immutable records, validated fail-fast; secrets from the environment, masked when printed. */
package org.grouprelay.config;
