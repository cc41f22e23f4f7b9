package io.flowrecon.shared.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} for every flowrecon command ({@code @Mixin HelpOption help;}). */
public final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
