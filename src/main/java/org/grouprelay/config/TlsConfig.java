package org.grouprelay.config;

import java.nio.file.Path;

/** A PKCS#12 key store holding the server key and certificate chain. */
public record TlsConfig(Path keystore, Secret password) {
}
