package org.grouprelay.directory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.directory.api.ldap.model.constants.SchemaConstants;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.entry.Value;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.AttributeType;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.InterceptorEnum;
import org.apache.directory.server.core.api.interceptor.Interceptor;
import org.apache.directory.server.core.authz.AciAuthorizationInterceptor;
import org.apache.directory.server.core.authz.GroupCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ApacheDS's access-control group cache, answering "which groups is this user in" from an index
 * by member instead of testing every group. ApacheDS asks that question on every operation of a
 * user other than the admin (Keycloak's service account), and its own {@link GroupCache} scans all
 * groups for it: with 10,000 groups that scan took more than half of the directory's CPU time in a
 * Keycloak-like bulk sync. The groups and members are ApacheDS's own (kept by the superclass); this
 * class only keeps the reverse index in step with each change.
 */
final class MemberIndexedGroupCache extends GroupCache {
    private static final Logger log = LoggerFactory.getLogger(MemberIndexedGroupCache.class);

    /** The superclass's map: normalized group DN → normalized member DNs (set by {@link #adopt}). */
    private Map<String, Set<String>> groups;
    /** Normalized member DN → normalized DNs of the groups that list it. */
    private Map<String, Set<String>> byMember;
    private SchemaManager schemaManager;
    private AttributeType memberType;
    private AttributeType uniqueMemberType;

    /** Never called: instances are made by {@link #takeOver}, which does not read the groups again. */
    private MemberIndexedGroupCache(DirectoryService service) throws LdapException {
        super(service);
    }

    /**
     * An indexed cache holding what {@code original} holds. Building a {@link GroupCache} parses
     * every member value of every group (most of the start-up time of a directory with a million
     * memberships), so the instance is allocated without running the constructor and takes over
     * the original's state, field by field.
     */
    @SuppressWarnings("unchecked")
    private static MemberIndexedGroupCache takeOver(GroupCache original, SchemaManager schemaManager)
            throws ReflectiveOperationException, LdapException {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        MemberIndexedGroupCache cache = (MemberIndexedGroupCache) unsafeClass.getMethod("allocateInstance", Class.class)
                .invoke(unsafe, MemberIndexedGroupCache.class);
        for (Field field : GroupCache.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                field.set(cache, field.get(original));
            }
        }
        Field groups = GroupCache.class.getDeclaredField("groups");
        groups.setAccessible(true);
        cache.adopt((Map<String, Set<String>>) groups.get(original), schemaManager);
        return cache;
    }

    private void adopt(Map<String, Set<String>> apacheGroups, SchemaManager schemaManager) throws LdapException {
        this.schemaManager = schemaManager;
        this.memberType = schemaManager.lookupAttributeTypeRegistry(SchemaConstants.MEMBER_AT);
        this.uniqueMemberType = schemaManager.lookupAttributeTypeRegistry(SchemaConstants.UNIQUE_MEMBER_AT);
        this.groups = apacheGroups;
        this.byMember = new ConcurrentHashMap<>();
        groups.forEach((group, members) -> members.forEach(value -> index(value, group)));
    }

    /**
     * Puts an indexed cache into the running service's ACI interceptor. Where this ApacheDS build
     * does not allow it, logs why and leaves ApacheDS's own cache (correct, only slower).
     */
    static void install(DirectoryService service) throws LdapException {
        Interceptor aci = service.getInterceptor(InterceptorEnum.ACI_AUTHORIZATION_INTERCEPTOR.getName());
        if (!(aci instanceof AciAuthorizationInterceptor)) {
            return;
        }
        Field cache;
        try {
            cache = AciAuthorizationInterceptor.class.getDeclaredField("groupCache");
            cache.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unindexed(e);
            return;
        }
        try {
            cache.set(aci, takeOver((GroupCache) cache.get(aci), service.getSchemaManager()));
        } catch (ReflectiveOperationException | LdapException | RuntimeException e) {
            unindexed(e);
        }
    }

    private static void unindexed(Exception e) {
        log.warn("ApacheDS's group cache stays unindexed ({}): operations of non-admin users cost time in proportion "
                + "to the number of groups", e.toString());
    }

    @Override
    public Set<String> getGroups(String member) {
        Set<String> found = byMember.get(member);
        return found == null || found.isEmpty() ? Collections.emptySet() : new HashSet<>(found);
    }

    /** ApacheDS's own answer (a scan of every group): the reference this index must equal. */
    Set<String> scanGroups(String member) throws LdapException {
        return super.getGroups(member);
    }

    @Override
    public void groupAdded(String name, Entry entry) throws LdapException {
        around(List.of(name), () -> super.groupAdded(name, entry));
    }

    @Override
    public void groupDeleted(Dn name, Entry entry) throws LdapException {
        around(List.of(name.getNormName()), () -> super.groupDeleted(name, entry));
    }

    @Override
    public void groupModified(Dn name, List<Modification> mods, Entry entry, SchemaManager schemaManager) throws LdapException {
        List<Attribute> changed = new ArrayList<>();
        boolean replaced = false;
        for (Modification mod : mods) {
            if (isMember(mod.getAttribute())) {
                changed.add(mod.getAttribute());
                replaced |= mod.getOperation() == ModificationOperation.REPLACE_ATTRIBUTE;
            }
        }
        String group = name.getNormName();
        if (replaced) {
            around(List.of(group), () -> super.groupModified(name, mods, entry, schemaManager));
        } else {
            aroundValues(group, changed, () -> super.groupModified(name, mods, entry, schemaManager));
        }
    }

    @Override
    public void groupModified(Dn name, ModificationOperation modOp, Entry mods) throws LdapException {
        String group = name.getNormName();
        if (modOp == ModificationOperation.REPLACE_ATTRIBUTE) {
            around(List.of(group), () -> super.groupModified(name, modOp, mods));
            return;
        }
        List<Attribute> changed = new ArrayList<>();
        for (Attribute attribute : mods) {
            if (isMember(attribute)) {
                changed.add(attribute);
            }
        }
        aroundValues(group, changed, () -> super.groupModified(name, modOp, mods));
    }

    @Override
    public boolean groupRenamed(Dn oldName, Dn newName) {
        boolean[] renamed = new boolean[1];
        try {
            around(List.of(oldName.getNormName(), newName.getNormName()), () -> renamed[0] = super.groupRenamed(oldName, newName));
        } catch (LdapException e) {
            throw new IllegalStateException(e); // super.groupRenamed throws nothing checked
        }
        return renamed[0];
    }

    private interface Change {
        void apply() throws LdapException;
    }

    /**
     * Applies {@code change} to ApacheDS's cache, then moves the index entries of {@code names} along:
     * compares each group's whole member set before and after (a group added, deleted, renamed, or
     * its members replaced).
     */
    private synchronized void around(List<String> names, Change change) throws LdapException {
        Map<String, Set<String>> before = new HashMap<>();
        for (String name : names) {
            before.put(name, copy(groups.get(name)));
        }
        try {
            change.apply();
        } finally {
            for (String name : names) {
                Set<String> was = before.get(name);
                Set<String> now = copy(groups.get(name));
                for (String member : was) {
                    if (!now.contains(member)) {
                        unindex(member, name);
                    }
                }
                for (String member : now) {
                    if (!was.contains(member)) {
                        index(member, name);
                    }
                }
            }
        }
    }

    /**
     * Applies a change that adds or deletes the member values in {@code changed} to ApacheDS's cache,
     * and updates the index for those values only: ApacheDS's cache changes no other member of the
     * group, so the cost follows the number of values, not the group's size.
     */
    private synchronized void aroundValues(String group, List<Attribute> changed, Change change) throws LdapException {
        Map<String, Boolean> before = new LinkedHashMap<>();
        Set<String> members = groups.get(group);
        for (Attribute attribute : changed) {
            for (Value value : attribute) {
                String member = memberName(value);
                if (member != null) {
                    before.putIfAbsent(member, members != null && members.contains(member));
                }
            }
        }
        try {
            change.apply();
        } finally {
            Set<String> now = groups.get(group);
            before.forEach((member, was) -> {
                boolean is = now != null && now.contains(member);
                if (was && !is) {
                    unindex(member, group);
                } else if (is && !was) {
                    index(member, group);
                }
            });
        }
    }

    /** A member value as ApacheDS's cache keys it (the normalized DN), or null where it cannot parse it (it skips those). */
    private String memberName(Value value) {
        try {
            return new Dn(schemaManager, value.getString()).getNormName();
        } catch (LdapException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code attribute} is one ApacheDS's cache takes members from (member, uniqueMember). */
    private boolean isMember(Attribute attribute) {
        AttributeType type = attribute.getAttributeType();
        if (type != null) {
            return type.equals(memberType) || type.equals(uniqueMemberType);
        }
        String id = attribute.getUpId();
        return SchemaConstants.MEMBER_AT.equalsIgnoreCase(id) || SchemaConstants.UNIQUE_MEMBER_AT.equalsIgnoreCase(id)
                || memberType.getOid().equals(id) || uniqueMemberType.getOid().equals(id);
    }

    private static Set<String> copy(Set<String> members) {
        return members == null ? Set.of() : new HashSet<>(members);
    }

    private void index(String member, String group) {
        byMember.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet()).add(group);
    }

    private void unindex(String member, String group) {
        byMember.computeIfPresent(member, (m, set) -> {
            set.remove(group);
            return set.isEmpty() ? null : set;
        });
    }
}
