package org.grouprelay.testing.scim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** SCIM error bodies as RFC 7644 §3.12 describes them (status as a string, optional scimType). */
final class ScimErrors {
    static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScimErrors() {
    }

    static String body(int status, String scimType, String detail) {
        ObjectNode error = JSON.createObjectNode();
        error.putArray("schemas").add(ERROR_SCHEMA);
        error.put("status", Integer.toString(status));
        if (scimType != null) {
            error.put("scimType", scimType);
        }
        error.put("detail", detail);
        return error.toString();
    }
}
