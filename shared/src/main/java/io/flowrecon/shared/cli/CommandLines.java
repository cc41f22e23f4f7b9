package io.flowrecon.shared.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one way flowrecon's command lines (worker, trainer, local stack) are set up with picocli, so that they answer
 * alike: {@code --help} prints the options to standard output (exit 0); a bad or missing option prints
 * {@code flowrecon <cmd>: <what is wrong>} and a pointer to {@code --help} to standard error (exit
 * {@value #USAGE_ERROR}), never a stack trace. An {@link IllegalArgumentException} out of a command is a setting
 * the user can correct (an architecture rule, a FLOWRECON_* variable): its message alone, exit 2. Any other
 * exception is a failure: {@code flowrecon <cmd>: failed: ...} with its stack trace, exit 1. Enum options take the enum's {@code toString()} (its wire name,
 * e.g. {@code subsampled-dct}) and list exactly those when a value is wrong.
 */
public final class CommandLines {

    /** The exit status of a command-line mistake (as picocli and the GNU tools use it). */
    public static final int USAGE_ERROR = 2;

    private CommandLines() {
    }

    /** A command line for {@code command} (a picocli {@code @Command}), writing to the given streams. */
    public static CommandLine create(Object command, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setParameterExceptionHandler(CommandLines::reportUsageError);
        cli.setExecutionExceptionHandler(CommandLines::reportFailure);
        registerWireNameEnums(cli);
        return cli;
    }

    /** A mistake the command found itself (a rule between options, a value out of range): exit 2 like a parse error. */
    public static ParameterException usageError(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The command's full name, e.g. {@code flowrecon model init-glow}: what error lines start with. */
    public static String qualifiedName(CommandSpec spec) {
        return spec.qualifiedName(" ");
    }

    private static int reportUsageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = qualifiedName(cmd.getCommandSpec());
        err.println(name + ": " + describe(e, cmd));
        if (!(e instanceof UnmatchedArgumentException unmatched && unknownCommand(unmatched, cmd))) {
            UnmatchedArgumentException.printSuggestions(e, err);
        }
        err.println("Try '" + name + " --help' for the options.");
        err.flush();
        return USAGE_ERROR;
    }

    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = qualifiedName(cmd.getCommandSpec());
        if (e instanceof IllegalArgumentException) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return USAGE_ERROR;
        }
        err.println(name + ": failed: " + e);
        e.printStackTrace(err);
        err.flush();
        return 1;
    }

    private static String describe(ParameterException e, CommandLine cmd) {
        if (e instanceof UnmatchedArgumentException unmatched && unknownCommand(unmatched, cmd)) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are: "
                    + String.join(", ", cmd.getSubcommands().keySet());
        }
        return e.getMessage();
    }

    /** A word where a command that only has sub-commands expects one of them. */
    private static boolean unknownCommand(UnmatchedArgumentException e, CommandLine cmd) {
        return !cmd.getSubcommands().isEmpty() && cmd.getCommandSpec().positionalParameters().isEmpty()
                && !e.getUnmatched().isEmpty() && !e.getUnmatched().get(0).startsWith("-");
    }

    /** Every enum-typed option of the command tree converts from, and lists, its constants' toString(). */
    private static void registerWireNameEnums(CommandLine root) {
        Set<Class<?>> enums = new LinkedHashSet<>();
        Deque<CommandLine> pending = new ArrayDeque<>();
        pending.add(root);
        while (!pending.isEmpty()) {
            CommandLine cmd = pending.removeFirst();
            for (ArgSpec arg : cmd.getCommandSpec().args()) {
                for (Class<?> type : arg.auxiliaryTypes()) {
                    if (type.isEnum()) {
                        enums.add(type);
                    }
                }
            }
            pending.addAll(cmd.getSubcommands().values());
        }
        for (Class<?> type : enums) {
            register(root, type);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void register(CommandLine root, Class<?> type) {
        Class<Enum> enumType = (Class<Enum>) type;
        root.registerConverter(enumType, text -> wireName(enumType, text));
    }

    private static <E extends Enum<E>> E wireName(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equals(text)) {
                return constant;
            }
        }
        throw new CommandLine.TypeConversionException("expected one of " + Arrays.stream(type.getEnumConstants())
                .map(Object::toString).collect(Collectors.joining(", ")) + " but was '" + text + "'");
    }
}
