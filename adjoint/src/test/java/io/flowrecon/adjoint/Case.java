package io.flowrecon.adjoint;

import java.util.function.Supplier;

/** A named test case for parameterised rule tests (the name is what JUnit shows). */
record Case(String name, Supplier<GradientHarness> harness) {
    @Override
    public String toString() {
        return name;
    }
}
