package io.flowrecon.devstack.junit;

import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.postgres.Durability;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests one {@link Infrastructure} per test JVM: {@code @ExtendWith(InfrastructureExtension.class)} on a
 * class, then declare an {@code Infrastructure} parameter on a test method, a lifecycle method
 * ({@code @BeforeAll static void setUp(Infrastructure infra)}) or the constructor.
 *
 * <p>The instance lives in the root context's store, so every test class in the JVM shares it; JUnit closes it
 * (it is {@link AutoCloseable}) when the root context closes, after the last test.
 * Tests that stop Kafka must start it again before they end.
 */
public final class InfrastructureExtension implements ParameterResolver {

    /**
     * Tests' databases are dropped with the JVM, so a crash can cost them nothing worth an fsync
     * per commit; skipping those keeps the suites fast on a shared disk. Tests that are about
     * durability start their own server.
     */
    private static final Durability TEST_DURABILITY = Durability.THROWAWAY;
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(InfrastructureExtension.class);

    /** The shared instance, started on first use. */
    public static Infrastructure infrastructure(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Infrastructure.class, key -> Infrastructure.start(TEST_DURABILITY), Infrastructure.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Infrastructure.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return infrastructure(extensionContext);
    }
}
