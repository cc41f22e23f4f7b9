/**
 * Engine commands of the worker jar: {@code gradcheck} ({@link io.flowrecon.worker.cli.commands.GradcheckCommand}),
 * {@code solve} ({@link io.flowrecon.worker.cli.commands.SolveCommand}) and {@code bench}
 * ({@link io.flowrecon.worker.cli.commands.BenchCommand}); registered by name in
 * {@link io.flowrecon.worker.cli.FlowreconCli}.
 */
package io.flowrecon.worker.cli.commands;
