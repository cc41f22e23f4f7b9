package io.flowrecon.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionCacheTest {

    static final class FakeSession implements AutoCloseable {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private static SessionKey key(String model) {
        return new SessionKey(model, "cs:1x8x8:m=10:batch=1", "gaussian(m=10, n=64, seed=1)");
    }

    @Test
    void aHitReturnsTheSameSessionWithoutCreatingAnother() {
        AtomicInteger created = new AtomicInteger();
        try (SessionCache<FakeSession> cache = new SessionCache<>(2)) {
            FakeSession first;
            try (SessionCache.Lease<FakeSession> lease = cache.acquire(key("a"), k -> {
                created.incrementAndGet();
                return new FakeSession();
            })) {
                first = lease.value();
            }
            try (SessionCache.Lease<FakeSession> lease = cache.acquire(key("a"), k -> {
                created.incrementAndGet();
                return new FakeSession();
            })) {
                assertSame(first, lease.value());
            }
            assertEquals(1, created.get());
        }
    }

    @Test
    void theLeastRecentlyUsedIdleEntryIsEvictedAndClosed() {
        try (SessionCache<FakeSession> cache = new SessionCache<>(2)) {
            FakeSession a = take(cache, "a");
            FakeSession b = take(cache, "b");
            take(cache, "a"); // a is now more recent than b
            FakeSession c = take(cache, "c");
            assertTrue(b.closed, "b was least recently used");
            assertFalse(a.closed);
            assertFalse(c.closed);
            assertFalse(cache.contains(key("b")));
            assertEquals(2, cache.size());
        }
    }

    @Test
    void anEvictedEntryOnLoanClosesOnlyWhenReturned() {
        SessionCache<FakeSession> cache = new SessionCache<>(1);
        SessionCache.Lease<FakeSession> held = cache.acquire(key("a"), k -> new FakeSession());
        FakeSession a = held.value();
        take(cache, "b");
        assertFalse(a.closed, "a solve still uses it");
        held.close();
        assertTrue(a.closed);
        cache.close();
    }

    private static FakeSession take(SessionCache<FakeSession> cache, String model) {
        try (SessionCache.Lease<FakeSession> lease = cache.acquire(key(model), k -> new FakeSession())) {
            return lease.value();
        }
    }
}
