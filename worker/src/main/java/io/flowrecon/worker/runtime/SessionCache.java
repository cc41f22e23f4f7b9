package io.flowrecon.worker.runtime;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded least-recently-used cache of open sessions (or objects owning sessions). Entries are lent out as
 * {@link Lease}s; an evicted entry is closed as soon as its last lease is returned, so a solve never loses its
 * session under it. Thread-safe.
 */
public final class SessionCache<V extends AutoCloseable> implements AutoCloseable {

    private final int capacity;
    private final LinkedHashMap<SessionKey, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    public SessionCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("session cache capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Lends the entry for {@code key}, creating it with {@code create} when absent (evicting the eldest). */
    public Lease<V> acquire(SessionKey key, Function<SessionKey, V> create) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("session cache is closed");
            }
            Entry<V> entry = entries.get(key);
            if (entry != null) {
                entry.leases++;
                return new Lease<>(this, entry);
            }
        }
        // Built outside the lock: opening a session can take seconds and must not block other keys.
        V value = create.apply(key);
        synchronized (this) {
            Entry<V> raced = entries.get(key);
            if (raced != null || closed) {
                closeQuietly(value);
                if (closed) {
                    throw new IllegalStateException("session cache is closed");
                }
                raced.leases++;
                return new Lease<>(this, raced);
            }
            Entry<V> entry = new Entry<>(key, value);
            entry.leases = 1;
            entries.put(key, entry);
            evictBeyondCapacity();
            return new Lease<>(this, entry);
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized boolean contains(SessionKey key) {
        return entries.containsKey(key);
    }

    private void evictBeyondCapacity() {
        Iterator<Map.Entry<SessionKey, Entry<V>>> eldest = entries.entrySet().iterator();
        while (entries.size() > capacity && eldest.hasNext()) {
            Entry<V> entry = eldest.next().getValue();
            eldest.remove();
            entry.evicted = true;
            if (entry.leases == 0) {
                closeQuietly(entry.value);
            }
        }
    }

    private synchronized void release(Entry<V> entry) {
        entry.leases--;
        if (entry.leases == 0 && entry.evicted) {
            closeQuietly(entry.value);
        }
    }

    /** Closes every entry not on loan now; loaned ones close when returned. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Entry<V> entry : entries.values()) {
            entry.evicted = true;
            if (entry.leases == 0) {
                closeQuietly(entry.value);
            }
        }
        entries.clear();
    }

    private static void closeQuietly(AutoCloseable value) {
        try {
            value.close();
        } catch (Exception e) {
            // A session that fails to close leaks native memory but must not fail the job that evicted it.
            System.getLogger(SessionCache.class.getName()).log(System.Logger.Level.WARNING, "closing an evicted session failed", e);
        }
    }

    private static final class Entry<V> {
        final SessionKey key;
        final V value;
        int leases;
        boolean evicted;

        Entry(SessionKey key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    /** A loan of a cached entry; return it with {@link #close()}. */
    public static final class Lease<V extends AutoCloseable> implements AutoCloseable {
        private final SessionCache<V> cache;
        private final Entry<V> entry;
        private boolean returned;

        private Lease(SessionCache<V> cache, Entry<V> entry) {
            this.cache = cache;
            this.entry = entry;
        }

        public V value() {
            if (returned) {
                throw new IllegalStateException("lease of " + entry.key + " was already returned");
            }
            return entry.value;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                cache.release(entry);
            }
        }
    }
}
