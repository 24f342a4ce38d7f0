package org.grouprelay.directory;

import java.util.Set;
import org.apache.directory.api.ldap.extras.extended.whoAmI.WhoAmIRequest;
import org.apache.directory.api.ldap.extras.extended.whoAmI.WhoAmIResponse;
import org.apache.directory.api.ldap.extras.extended.whoAmI.WhoAmIResponseImpl;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.util.Strings;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.ldap.ExtendedOperationHandler;
import org.apache.directory.server.ldap.LdapServer;
import org.apache.directory.server.ldap.LdapSession;

/**
 * The "Who am I?" operation (RFC 4532), what {@code ldapwhoami} asks: {@code dn:<bind DN>} for a bound session, the empty
 * authorization identity for an anonymous one (ApacheDS's own handler answers {@code dn:} there).
 */
final class WhoAmI implements ExtendedOperationHandler<WhoAmIRequest, WhoAmIResponse> {
    @Override
    public String getOid() {
        return WhoAmIRequest.EXTENSION_OID;
    }

    @Override
    public Set<String> getExtensionOids() {
        return Set.of(WhoAmIRequest.EXTENSION_OID);
    }

    @Override
    public void handleExtendedOperation(LdapSession session, WhoAmIRequest request) {
        WhoAmIResponseImpl response = new WhoAmIResponseImpl(request.getMessageId(), ResultCodeEnum.SUCCESS);
        CoreSession core = session.getCoreSession();
        boolean anonymous = core == null || core.isAnonymous() || core.getAuthenticatedPrincipal() == null;
        response.setAuthzId(Strings.getBytesUtf8(anonymous ? "" : "dn:" + core.getAuthenticatedPrincipal().getDn().getName()));
        session.getIoSession().write(response);
    }

    @Override
    public void setLdapServer(LdapServer server) {
        // nothing to keep
    }
}
