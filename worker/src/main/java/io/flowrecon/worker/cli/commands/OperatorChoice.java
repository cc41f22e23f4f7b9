package io.flowrecon.worker.cli.commands;

import io.flowrecon.shared.job.Problem;

/** The sensing operators a command line can name, by their wire names ({@code --operator gaussian}). */
enum OperatorChoice {
    GAUSSIAN(Problem.SensingOperator.GAUSSIAN),
    SUBSAMPLED_DCT(Problem.SensingOperator.SUBSAMPLED_DCT);

    private final Problem.SensingOperator operator;

    OperatorChoice(Problem.SensingOperator operator) {
        this.operator = operator;
    }

    Problem.SensingOperator operator() {
        return operator;
    }

    /** The wire name: what picocli matches and lists (io.flowrecon.shared.cli.CommandLines). */
    @Override
    public String toString() {
        return operator.wireName();
    }
}
