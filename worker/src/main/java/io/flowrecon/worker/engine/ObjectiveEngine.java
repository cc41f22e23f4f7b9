package io.flowrecon.worker.engine;

import io.flowrecon.worker.runtime.SessionCache;
import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.worker.runtime.SessionFactory;
import io.flowrecon.worker.runtime.SessionKey;

/**
 * Hands out objective sessions per (prior, operator, batch, gamma), composing and opening each once and keeping
 * the most recently used ones open (docs/ARCHITECTURE.md, "Sessions").
 */
public final class ObjectiveEngine implements AutoCloseable {

    private final SessionFactory factory;
    private final AdjointBuilder adjoints;
    private final SessionCache<ObjectiveSession> cache;

    public ObjectiveEngine(SessionFactory factory, AdjointBuilder adjoints) {
        this.factory = factory;
        this.adjoints = adjoints;
        this.cache = new SessionCache<>(factory.config().sessionCacheEntries());
    }

    /** A lease of the objective session; close it when the solve ends (the session itself stays cached). */
    public SessionCache.Lease<ObjectiveSession> session(Prior prior, OperatorForm operator, int batch, double gamma) {
        SessionKey key = new SessionKey(prior.sha256(),
                "shape=" + prior.shape() + ":width=" + operator.width() + ":batch=" + batch + ":gamma=" + gamma,
                operator.identity());
        return cache.acquire(key, k -> ObjectiveSession.open(factory, prior, operator, batch, gamma, adjoints));
    }

    /** "cpu" or "cuda:N", for results.execution_provider. */
    public String providerDescription() {
        return factory.providerDescription();
    }

    public SessionFactory factory() {
        return factory;
    }

    @Override
    public void close() {
        cache.close();
    }
}
