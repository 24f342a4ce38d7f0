/**
 * {@code grouprelay.yaml} bound to records by Jackson's YAML format, validated fail-fast into immutable
 * configuration records with one-line errors naming the dotted key; secrets from the environment,
 * masked when printed; the readable-secrets warning.
 *
 * <p>Must not know: any pipeline stage (it uses only the shared membership rules' names).
 */
package org.grouprelay.config;
