package org.grouprelay.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.server.core.api.filtering.EntryFilteringCursor;
import org.apache.directory.server.core.api.interceptor.BaseInterceptor;
import org.apache.directory.server.core.api.interceptor.context.AddOperationContext;
import org.apache.directory.server.core.api.interceptor.context.BindOperationContext;
import org.apache.directory.server.core.api.interceptor.context.CompareOperationContext;
import org.apache.directory.server.core.api.interceptor.context.DeleteOperationContext;
import org.apache.directory.server.core.api.interceptor.context.ModifyOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveAndRenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.MoveOperationContext;
import org.apache.directory.server.core.api.interceptor.context.RenameOperationContext;
import org.apache.directory.server.core.api.interceptor.context.SearchOperationContext;

/**
 * Times every directory operation as {@code grouprelay.ldap.operations} by {@code operation} (add,
 * modify, delete, modrdn, bind, search, compare) and {@code result} ({@code success} or the LDAP
 * result code, e.g. {@code invalid_credentials}). It goes first in ApacheDS's chain, so it sees
 * what clients see, refusals by authentication and access control included, and a write's time
 * includes the synchronous relay to Seafile. ApacheDS routes an operation to an interceptor only
 * if the interceptor's own class declares the method, hence one override per operation here.
 */
public final class LdapMetricsInterceptor extends BaseInterceptor {
    public static final String NAME = "grouprelayMetricsInterceptor";

    private final MeterRegistry metrics;

    public LdapMetricsInterceptor(MeterRegistry metrics) {
        super(NAME);
        this.metrics = metrics;
    }

    private interface Call<T> {
        T run() throws LdapException;
    }

    private <T> T timed(String operation, Call<T> call) throws LdapException {
        long started = System.nanoTime();
        String result = "success";
        try {
            return call.run();
        } catch (LdapOperationException e) {
            result = e.getResultCode() == null ? "other" : e.getResultCode().name().toLowerCase(Locale.ROOT);
            throw e;
        } catch (LdapException | RuntimeException e) {
            result = "other";
            throw e;
        } finally {
            Timer.builder("grouprelay.ldap.operations").description("Directory operations by operation and result")
                    .tags("operation", operation, "result", result).register(metrics)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void add(AddOperationContext ctx) throws LdapException {
        timed("add", () -> {
            next(ctx);
            return null;
        });
    }

    @Override
    public void modify(ModifyOperationContext ctx) throws LdapException {
        timed("modify", () -> {
            next(ctx);
            return null;
        });
    }

    @Override
    public void delete(DeleteOperationContext ctx) throws LdapException {
        timed("delete", () -> {
            next(ctx);
            return null;
        });
    }

    @Override
    public void rename(RenameOperationContext ctx) throws LdapException {
        timed("modrdn", () -> {
            next(ctx);
            return null;
        });
    }

    @Override
    public void move(MoveOperationContext ctx) throws LdapException {
        timed("modrdn", () -> {
            next(ctx);
            return null;
        });
    }

    @Override
    public void moveAndRename(MoveAndRenameOperationContext ctx) throws LdapException {
        timed("modrdn", () -> {
            next(ctx);
            return null;
        });
    }

    @Override
    public void bind(BindOperationContext ctx) throws LdapException {
        timed("bind", () -> {
            next(ctx);
            return null;
        });
    }

    @Override
    public EntryFilteringCursor search(SearchOperationContext ctx) throws LdapException {
        return timed("search", () -> next(ctx));
    }

    @Override
    public boolean compare(CompareOperationContext ctx) throws LdapException {
        return timed("compare", () -> next(ctx));
    }
}
