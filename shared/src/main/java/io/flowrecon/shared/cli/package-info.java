/**
 * How flowrecon's command lines are built on picocli: {@link io.flowrecon.shared.cli.CommandLines} (one error style,
 * exit status 2 for a usage mistake) and {@link io.flowrecon.shared.cli.HelpOption}.
 */
package io.flowrecon.shared.cli;
