package org.grouprelay.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One shared server for a test class, started before its first test and closed after its last:
 * <pre>{@code
 * @RegisterExtension
 * static final PerClass<TestSeafile> SEAFILE = PerClass.of(TestSeafile::start).beforeEach(TestSeafile::reset);
 * }</pre>
 * Starting a directory or a database costs seconds, so the tests share it and {@link #beforeEach} puts it back
 * in shape between them.
 */
public final class PerClass<T extends AutoCloseable> implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    @FunctionalInterface
    public interface Starter<T> {
        T start() throws Exception;
    }

    private final Starter<T> starter;
    private final List<Consumer<T>> beforeEach = new ArrayList<>();
    private T server;

    private PerClass(Starter<T> starter) {
        this.starter = starter;
    }

    public static <T extends AutoCloseable> PerClass<T> of(Starter<T> starter) {
        return new PerClass<>(starter);
    }

    /** A step run on the server before every test of the class, e.g. emptying it. */
    public PerClass<T> beforeEach(Consumer<T> step) {
        beforeEach.add(step);
        return this;
    }

    /** The running server; only between the class's start and end. */
    public T get() {
        if (server == null) {
            throw new IllegalStateException("not started: register this as a static @RegisterExtension field");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = starter.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        beforeEach.forEach(step -> step.accept(get()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            try {
                server.close();
            } finally {
                server = null;
            }
        }
    }
}
